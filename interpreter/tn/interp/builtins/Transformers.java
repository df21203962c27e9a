package tn.interp.builtins;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tn.diag.TnError;
import tn.exec.DType;
import tn.exec.Dense;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Rng;
import tn.interp.Value;
import tn.io.NpyException;
import tn.io.Npz;
import tn.net.Evaluator;
import tn.net.Net;
import tn.net.Tensor;

/**
 * Transformer models as records of weights with named legs, for the forward pass written in tn
 * ({@code stdlib/transformer.tn}): random models for any configuration, GPT-2 weights from .npz
 * files with GPT-2's tensor names, and the helpers the forward pass needs (bias broadcasting,
 * the causal mask, and detaching a computed tensor as a constant, e.g. a frozen attention pattern).
 *
 * <p>Legs: {@code layer, head, d_model, d_head, d_mlp, vocab, ctx}; weights are stacked over
 * layers (W_Q[layer, head, d_model, d_head], ...), and pick(W, layer=l) takes one layer's.
 */
public final class Transformers {
    private Transformers() {}

    /** The configuration of a model. */
    record Config(int layers, int heads, int dModel, int dHead, int dMlp, int vocab, int ctx, String mlp, boolean layernorm) {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("transformer", "transformer(layers=, heads=, d_model=, d_head=, d_mlp=, vocab=, context=, seed=0,"
                    + " mlp=\"gelu\", layernorm=true, biases=true, std=0.02)",
                "a transformer with random weights (normal, std; layer norms start at weight 1, bias 0); mlp is"
                    + " \"gelu\", \"bilinear\" (W_out ((W_1 x) * (W_2 x)), no bubble) or \"none\" (attention only)",
                Transformers::random),
            Builtin.of("load_gpt2", "load_gpt2(\"model.safetensors\" | \"model.npz\", heads=, mmap=true)",
                "GPT-2 weights from a .safetensors or .npz file with GPT-2's tensor names (wte, wpe, h.{l}.ln_1, h.{l}.attn.c_attn,"
                    + " h.{l}.attn.c_proj, h.{l}.ln_2, h.{l}.mlp.c_fc, h.{l}.mlp.c_proj, ln_f, lm_head if untied; with or without"
                    + " .weight/.bias suffixes and a transformer. prefix), and the config.json beside it if there is one (n_head,"
                    + " layer_norm_epsilon, the attention scaling, tie_word_embeddings; checked against the tensors); heads= is"
                    + " needed without a config; a .safetensors file whose type is the script's dtype is mapped, not read"
                    + " (mmap=false reads it into tn's own memory)",
                Transformers::loadGpt2),
            Builtin.of("broadcast", "broadcast(b, x)", "b with x's other legs added as ones (never stored): for adding a bias to x",
                Transformers::broadcast),
            Builtin.of("causal_mask", "causal_mask(scores, query, key)",
                "a tensor with the legs of scores: 0 where key <= query, -1e30 where the key comes later (add before softmax)",
                Transformers::causalMask),
            Builtin.of("composition", "composition(m, \"Q\"|\"K\"|\"V\")",
                "composition scores ||W_A W_B|| / (||W_A|| ||W_B||) of every earlier head's OV circuit W_A with every"
                    + " later head's QK circuit (Q), its transpose (K) or its OV circuit (V), in the residual basis:"
                    + " [layer, head, layer', head'], 0 unless layer < layer'",
                Transformers::composition),
            Builtin.of("detach", "detach(x)",
                "x computed now and kept as a constant tensor (its network is forgotten): a frozen attention pattern;"
                        + " only its value is asked for, so x's intermediates are given back as soon as they are used",
                Transformers::detach));
    }

    // ---- random models --------------------------------------------------------------------------

    private static Value random(Args a) {
        a.expect(0, 0, "keywords only");
        int layers = positive(a, "layers", 1), heads = positive(a, "heads", 1), dModel = positive(a, "d_model", 0);
        int dHead = positive(a, "d_head", Math.max(1, dModel / heads)), dMlp = positive(a, "d_mlp", 4 * dModel);
        int vocab = positive(a, "vocab", 0), ctx = positive(a, "context", 0);
        String mlp = a.string("mlp", "gelu");
        if (!List.of("gelu", "bilinear", "none").contains(mlp)) {
            throw new TnError(a.keywordSpan("mlp"), "mlp= is \"gelu\", \"bilinear\" or \"none\", not \"" + mlp + "\"");
        }
        boolean layernorm = a.bool("layernorm", true);
        boolean biases = a.bool("biases", true);
        double std = a.number("std", 0.02);
        long seed = a.integer("seed", 0);
        Config c = new Config(layers, heads, dModel, dHead, dMlp, vocab, ctx, mlp, layernorm);
        checkSize(a, c);
        if (!a.interpreter().concrete()) { // checking: the weights' shapes are enough
            Map<String, double[]> none = new LinkedHashMap<>();
            for (String k : weightNames(mlp)) none.put(k, null);
            Value.Record r = (Value.Record) model(a, c, none);
            Map<String, Value> fields = new LinkedHashMap<>(r.fields());
            fields.put("biases", new Value.Bool(biases));
            return new Value.Record(r.type(), fields);
        }
        Rng rng = new Rng(seed);
        Map<String, double[]> w = new LinkedHashMap<>();
        // Drawn in a fixed order, so a seed gives the same model everywhere.
        w.put("W_E", scaled(rng.normal(vocab * dModel), std));
        w.put("W_pos", scaled(rng.normal(ctx * dModel), std));
        int n = layers * heads * dModel * dHead;
        w.put("W_Q", scaled(rng.normal(n), std));
        w.put("W_K", scaled(rng.normal(n), std));
        w.put("W_V", scaled(rng.normal(n), std));
        w.put("W_O", scaled(rng.normal(n), std));
        w.put("b_Q", scaled(rng.normal(layers * heads * dHead), std));
        w.put("b_K", scaled(rng.normal(layers * heads * dHead), std));
        w.put("b_V", scaled(rng.normal(layers * heads * dHead), std));
        w.put("b_O", scaled(rng.normal(layers * dModel), std));
        w.put("ln1_w", shifted(scaled(rng.normal(layers * dModel), std), 1));
        w.put("ln1_b", scaled(rng.normal(layers * dModel), std));
        if (!mlp.equals("none")) {
            w.put("ln2_w", shifted(scaled(rng.normal(layers * dModel), std), 1));
            w.put("ln2_b", scaled(rng.normal(layers * dModel), std));
            if (mlp.equals("gelu")) {
                w.put("W_in", scaled(rng.normal(layers * dModel * dMlp), std));
                w.put("b_in", scaled(rng.normal(layers * dMlp), std));
            } else {
                w.put("W_1", scaled(rng.normal(layers * dModel * dMlp), std));
                w.put("W_2", scaled(rng.normal(layers * dModel * dMlp), std));
            }
            w.put("W_out", scaled(rng.normal(layers * dMlp * dModel), std));
            w.put("b_out", scaled(rng.normal(layers * dModel), std));
        }
        w.put("lnf_w", shifted(scaled(rng.normal(dModel), std), 1));
        w.put("lnf_b", scaled(rng.normal(dModel), std));
        w.put("W_U", scaled(rng.normal(dModel * vocab), std));
        w.put("b_U", new double[vocab]);
        if (!biases) for (String k : List.of("b_Q", "b_K", "b_V", "b_O", "b_in", "b_out")) if (w.containsKey(k)) java.util.Arrays.fill(w.get(k), 0);
        Value.Record r = (Value.Record) model(a, c, w);
        Map<String, Value> fields = new LinkedHashMap<>(r.fields());
        fields.put("biases", new Value.Bool(biases));
        return new Value.Record(r.type(), fields);
    }

    /** The weights a random model of this kind has, in the order they are drawn. */
    private static List<String> weightNames(String mlp) {
        List<String> names = new ArrayList<>(List.of("W_E", "W_pos", "W_Q", "W_K", "W_V", "W_O", "b_Q", "b_K", "b_V", "b_O", "ln1_w", "ln1_b"));
        if (!mlp.equals("none")) {
            names.addAll(List.of("ln2_w", "ln2_b"));
            names.addAll(mlp.equals("gelu") ? List.of("W_in", "b_in") : List.of("W_1", "W_2"));
            names.addAll(List.of("W_out", "b_out"));
        }
        names.addAll(List.of("lnf_w", "lnf_b", "W_U", "b_U"));
        return names;
    }

    /**
     * Refuses, in both passes, a random model whose weights cannot be made: a weight larger than
     * one array, or all of them over the memory limit while they are drawn (in float64, then
     * converted to the script's dtype).
     */
    private static void checkSize(Args a, Config c) {
        DType dtype = a.interpreter().settings().dtype();
        int bytesPerEntry = Double.BYTES + dtype.bytes();
        String type = "float64, then " + dtype.label();
        WeightSizes w = checkEachWeight(a, c, bytesPerEntry, type, "smaller sizes", false);
        Allocation.checkBytes(a.interpreter(), a.span(), a.name() + "(): the model (largest weight: " + w.largest() + ")", w.total(),
                w.total() * bytesPerEntry, "float64 while drawn, then " + dtype.label(), "smaller sizes");
    }

    /**
     * Refuses, in both passes, a loaded model over the memory limit: its weights in the script's
     * dtype (a tied W_U is W_E itself), plus one block of c_attn's columns [layer, d_model, d_model]
     * (what a read, mmap=false or a converted type, had in flight; mapped weights are the file's
     * pages, and the head-ordered W_Q, W_K and W_V copies made as layers are picked are weights
     * counted above); or with a weight larger than one array.
     */
    private static void checkLoad(Args a, Config c, boolean tied) {
        DType dtype = a.interpreter().settings().dtype();
        WeightSizes w = checkEachWeight(a, c, dtype.bytes(), dtype.label(), "a smaller model", tied);
        double total = (double) c.layers() * c.dModel() * c.dModel() + w.total();
        Allocation.checkBytes(a.interpreter(), a.span(), a.name() + "(): the model (largest weight: " + w.largest() + ")", total,
                total * dtype.bytes(), dtype.label() + ", read in place", "a smaller model");
    }

    /** The entries of all the weights, and the largest weight with its legs ("W_E [vocab=.., d_model=..]"). */
    private record WeightSizes(double total, String largest) {}

    /**
     * Checks each weight of the model against one array's size and the memory limit ({@code
     * bytesPerEntry} of {@code type}), in the order of weightNames; a tied W_U (W_E itself) is not
     * counted in the total.
     */
    private static WeightSizes checkEachWeight(Args a, Config c, int bytesPerEntry, String type, String smaller, boolean tied) {
        Map<String, Long> legs = legSizes(c);
        Map<String, List<String>> shapes = shapes();
        double total = 0;
        String largest = null;
        long largestCount = -1;
        for (String name : weightNames(c.mlp())) {
            List<String> l = shapes.get(name);
            long[] shape = l.stream().mapToLong(legs::get).toArray();
            String described = Evaluator.describe(l, shape);
            long n = Allocation.check(a.interpreter(), a.span(), a.name() + "(): weight " + name + " with legs " + described,
                    shape, bytesPerEntry, type, smaller);
            if (!(tied && name.equals("W_U"))) total += n;
            if (n > largestCount) {
                largestCount = n;
                largest = name + " " + described;
            }
        }
        return new WeightSizes(total, largest);
    }

    private static int positive(Args a, String keyword, int otherwise) {
        if (!a.has(keyword)) {
            if (otherwise > 0) return otherwise;
            throw a.error(a.name() + "() needs " + keyword + "=");
        }
        long v = a.integer(keyword, 0);
        if (v < 1 || v > Integer.MAX_VALUE) throw new TnError(a.keywordSpan(keyword), keyword + "= must be a positive whole number, not " + v);
        return (int) v;
    }

    private static double[] scaled(double[] d, double s) {
        for (int i = 0; i < d.length; i++) d[i] *= s;
        return d;
    }

    private static double[] shifted(double[] d, double s) {
        for (int i = 0; i < d.length; i++) d[i] += s;
        return d;
    }

    /** The record: configuration numbers, then every weight as a tensor with its legs. */
    static Value model(Args a, Config c, Map<String, double[]> w) {
        Interpreter in = a.interpreter();
        Map<String, Long> legs = legSizes(c);
        Map<String, List<String>> shapes = shapes();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : w.entrySet()) {
            List<String> l = shapes.get(e.getKey());
            long[] shape = new long[l.size()];
            for (int k = 0; k < shape.length; k++) shape[k] = legs.get(l.get(k));
            DType dtype = in.settings().dtype();
            tensors.put(e.getKey(), in.concrete() ? Tensor.of(l, in.evaluator().backend().fromDoubles(e.getValue(), shape, dtype))
                    : Tensor.signature(l, shape, dtype));
        }
        return record(a, c, tensors);
    }

    /** The record of the weights as tensors (their legs say their layout). */
    static Value record(Args a, Config c, Map<String, Tensor> w) {
        Interpreter in = a.interpreter();
        Map<String, Long> legs = legSizes(c);
        for (Map.Entry<String, Long> e : legs.entrySet()) {
            try {
                in.bindLeg(e.getKey(), e.getValue(), a.span());
            } catch (TnError err) {
                throw a.error("a transformer's legs are layer, head, d_model, d_head, d_mlp, vocab and ctx; " + err.getMessage());
            }
        }
        Map<String, Value> fields = new LinkedHashMap<>();
        fields.put("n_layers", new Value.Num(c.layers()));
        fields.put("n_heads", new Value.Num(c.heads()));
        fields.put("d_model", new Value.Num(c.dModel()));
        fields.put("d_head", new Value.Num(c.dHead()));
        fields.put("d_mlp", new Value.Num(c.dMlp()));
        fields.put("n_vocab", new Value.Num(c.vocab()));
        fields.put("n_ctx", new Value.Num(c.ctx()));
        fields.put("mlp", new Value.Str(c.mlp()));
        fields.put("layernorm", new Value.Bool(c.layernorm()));
        fields.put("frozen", new Value.Bool(false));
        fields.put("ln_frozen", new Value.Bool(false)); // layer norm factors fixed by freeze (stdlib/transformer.tn)
        fields.put("ln_folded", new Value.Bool(false));
        fields.put("biases", new Value.Bool(true));
        fields.put("scale", new Value.Num(1 / Math.sqrt(c.dHead())));
        // GPT-2's settings that a loaded model's config.json may change (see load_gpt2).
        fields.put("ln_eps", new Value.Num(1e-5));
        fields.put("inverse_layer_scale", new Value.Bool(false));
        for (Map.Entry<String, Tensor> e : w.entrySet()) {
            Net leaf = new Net.Leaf(e.getValue(), "weight", a.span());
            leaf.nameIfAnonymous(e.getKey());
            fields.put(e.getKey(), new Value.TensorValue(leaf));
        }
        return new Value.Record("transformer", fields);
    }

    /** The size of each of a transformer's legs. */
    private static Map<String, Long> legSizes(Config c) {
        Map<String, Long> legs = new LinkedHashMap<>();
        legs.put("layer", (long) c.layers());
        legs.put("head", (long) c.heads());
        legs.put("d_model", (long) c.dModel());
        legs.put("d_head", (long) c.dHead());
        legs.put("d_mlp", (long) c.dMlp());
        legs.put("vocab", (long) c.vocab());
        legs.put("ctx", (long) c.ctx());
        return legs;
    }

    /** The legs of every weight. */
    static Map<String, List<String>> shapes() {
        Map<String, List<String>> s = new LinkedHashMap<>();
        s.put("W_E", List.of("vocab", "d_model"));
        s.put("W_pos", List.of("ctx", "d_model"));
        for (String n : List.of("W_Q", "W_K", "W_V")) s.put(n, List.of("layer", "head", "d_model", "d_head"));
        s.put("W_O", List.of("layer", "head", "d_head", "d_model"));
        for (String n : List.of("b_Q", "b_K", "b_V")) s.put(n, List.of("layer", "head", "d_head"));
        for (String n : List.of("b_O", "ln1_w", "ln1_b", "ln2_w", "ln2_b", "b_out")) s.put(n, List.of("layer", "d_model"));
        for (String n : List.of("W_in", "W_1", "W_2")) s.put(n, List.of("layer", "d_model", "d_mlp"));
        s.put("b_in", List.of("layer", "d_mlp"));
        s.put("W_out", List.of("layer", "d_mlp", "d_model"));
        s.put("lnf_w", List.of("d_model"));
        s.put("lnf_b", List.of("d_model"));
        s.put("W_U", List.of("d_model", "vocab"));
        s.put("b_U", List.of("vocab"));
        return s;
    }

    // ---- GPT-2 weights --------------------------------------------------------------------------

    private static Value loadGpt2(Args a) {
        a.expect(1, 1, "a file name");
        String name = a.string(0);
        Path file = a.interpreter().directory().resolve(name).normalize();
        if (!Files.exists(file)) throw a.error(0, "no such file: " + name);
        try {
            Gpt2Config hf = Gpt2Config.read(name, file);
            int heads = gpt2Heads(a, hf, name);
            boolean map = a.bool("mmap", true);
            Map<String, long[]> shapes = Gpt2Weights.shapes(file);
            Config c = Gpt2Weights.config(shapes, heads);
            checkLoad(a, c, settings(hf, c, name, Gpt2Weights.hasLmHead(shapes)).tied()); // before any data is read
            if (!a.interpreter().concrete()) {
                // Checking: the shapes from the headers are enough (nothing is read).
                Gpt2Config.Settings s = settings(hf, c, name, Gpt2Weights.hasLmHead(shapes));
                Map<String, Tensor> none = new LinkedHashMap<>();
                Map<String, Long> legs = legSizes(c);
                DType dtype = a.interpreter().settings().dtype();
                for (Map.Entry<String, List<String>> e : shapes().entrySet()) {
                    if (List.of("W_1", "W_2").contains(e.getKey())) continue;
                    List<String> l = e.getKey().equals("W_U") ? List.of("vocab", "d_model") : e.getValue(); // as convert() makes it
                    none.put(e.getKey(), Tensor.signature(l, l.stream().mapToLong(legs::get).toArray(), dtype));
                }
                return gpt2Model(a, c, none, s);
            }
            tn.exec.Backend backend = a.interpreter().evaluator().backend();
            try (Gpt2Weights.Source src = Gpt2Weights.open(file, backend, a.interpreter().settings().dtype(), map)) {
                shapes = src.shapes();
                Gpt2Config.Settings s = settings(hf, Gpt2Weights.config(shapes, heads), name, Gpt2Weights.hasLmHead(shapes));
                if (s.tied() && Gpt2Weights.hasLmHead(shapes)) {
                    String diff = Gpt2Weights.lmHeadDiffers(src, backend);
                    if (diff != null) {
                        throw new Gpt2Config.Refused(hf.shown() + ": tie_word_embeddings is " + (hf.keys().has("tie_word_embeddings") ? "true" : "not given (true)")
                                + ", but lm_head.weight in " + name + " is not wte.weight (" + diff + "); set it to false to unembed with lm_head.weight");
                    }
                }
                Gpt2Weights g = Gpt2Weights.convert(src, backend, heads, !s.tied());
                return gpt2Model(a, g.config(), g.weights(), s);
            }
        } catch (Gpt2Config.Refused e) {
            throw a.error(0, e.getMessage());
        } catch (NpyException e) {
            throw a.error(0, e.getMessage().replace(file.toString(), name)); // the path as the script wrote it
        } catch (IllegalArgumentException e) {
            throw a.error(0, name + ": " + e.getMessage());
        }
    }

    /**
     * heads=, or the config's n_head (both given: they must agree); neither is an error, since the
     * tensors cannot tell the number of heads (any divisor of d_model fits them).
     */
    private static int gpt2Heads(Args a, Gpt2Config hf, String name) {
        Integer said = hf == null ? null : hf.heads();
        if (!a.has("heads")) {
            if (said != null) return said;
            throw a.error(0, "load_gpt2() needs heads=, the number of attention heads: the tensors cannot tell it (any divisor of"
                    + " d_model fits them), and there is no config.json beside " + name + " to say it (n_head)");
        }
        int heads = positive(a, "heads", 0);
        if (said != null && said != heads) {
            throw new TnError(a.keywordSpan("heads"), hf.shown() + ": n_head is " + said + ", but heads=" + heads
                    + " was given; leave heads= out to use the config's");
        }
        return heads;
    }

    private static Gpt2Config.Settings settings(Gpt2Config hf, Config c, String name, boolean lmHead) {
        return hf == null ? Gpt2Config.defaults(lmHead) : hf.check(c, name, lmHead);
    }

    /** The record of a loaded GPT-2, with the settings of its config and where its unembedding comes from. */
    private static Value gpt2Model(Args a, Config c, Map<String, Tensor> w, Gpt2Config.Settings s) {
        Value.Record r = (Value.Record) record(a, c, w);
        Map<String, Value> fields = new LinkedHashMap<>(r.fields());
        fields.put("scale", new Value.Num(s.scaleWeights() ? 1 / Math.sqrt(c.dHead()) : 1));
        fields.put("ln_eps", new Value.Num(s.lnEps()));
        fields.put("inverse_layer_scale", new Value.Bool(s.inverseLayerScale()));
        fields.put("unembedding", new Value.Str(s.tied() ? "wte" : "lm_head"));
        return new Value.Record(r.type(), fields);
    }

    // ---- helpers of the forward pass -------------------------------------------------------------

    private static Value broadcast(Args a) {
        a.expect(2, 2, "a tensor and the tensor whose legs it takes");
        Net b = a.tensor(0), x = a.tensor(1);
        for (String leg : b.legs()) {
            if (!x.legs().contains(leg)) throw a.error(0, "broadcast(): leg " + leg + " of the first tensor is not a leg of the second " + x.legs());
            if (x.sizeOf(leg) != b.sizeOf(leg)) {
                throw a.error(0, "broadcast(): leg " + leg + " has size " + b.sizeOf(leg) + " here but " + x.sizeOf(leg) + " on the second tensor");
            }
        }
        return new Value.TensorValue(tn.interp.Networks.broadcast(b, x, a.span())); // the rule sums use
    }

    private static Value causalMask(Args a) {
        a.expect(3, 3, "scores, the query leg and the key leg");
        Net s = a.tensor(0);
        String q = a.leg(1), k = a.leg(2);
        int qa = s.legs().indexOf(q), ka = s.legs().indexOf(k);
        if (qa < 0) throw a.error(1, "causal_mask(): the scores have no leg " + q + " (their legs: " + s.legs() + ")");
        if (ka < 0) throw a.error(2, "causal_mask(): the scores have no leg " + k + " (their legs: " + s.legs() + ")");
        Interpreter in = a.interpreter();
        long[] shape = s.sizes();
        if (!in.concrete()) return new Value.TensorValue(Bipartition.leaf(in, s.legs(), shape, s.dtype(), null, "mask", a));
        // Entry p (row-major) sits at query index (p / strideQ) % shape[qa] and key index
        // (p / strideK) % shape[ka]: found by division at the start of each chunk, then counted
        // forward entry by entry (a forward of GPT-2 makes one [head, pos, key] mask per layer).
        long strideQ = 1, strideK = 1;
        for (int ax = shape.length - 1; ax > qa; ax--) strideQ *= shape[ax];
        for (int ax = shape.length - 1; ax > ka; ax--) strideK *= shape[ax];
        long sq = strideQ, sk = strideK, nq = shape[qa], nk = shape[ka];
        Dense mask = in.evaluator().backend().generate(shape, s.dtype(), (from, out, count) -> {
            long iq = (from / sq) % nq, rq = from % sq, ik = (from / sk) % nk, rk = from % sk;
            for (int i = 0; i < count; i++) {
                out[i] = ik > iq ? -1e30 : 0;
                if (++rq == sq) {
                    rq = 0;
                    if (++iq == nq) iq = 0;
                }
                if (++rk == sk) {
                    rk = 0;
                    if (++ik == nk) ik = 0;
                }
            }
        });
        return new Value.TensorValue(new Net.Leaf(Tensor.of(s.legs(), mask), "mask", a.span()));
    }

    private static Value composition(Args a) {
        a.expect(2, 2, "a transformer and \"Q\", \"K\" or \"V\"");
        Value v = a.value(0);
        if (!(v instanceof Value.Record m) || !m.type().equals("transformer")) throw a.error(0, "composition() needs a transformer, not " + v.kind());
        String kind = a.string(1);
        if (!List.of("Q", "K", "V").contains(kind)) throw a.error(1, "the kind of composition is \"Q\", \"K\" or \"V\", not \"" + kind + "\"");
        Interpreter in = a.interpreter();
        int layers = (int) ((Value.Num) m.fields().get("n_layers")).value(), heads = (int) ((Value.Num) m.fields().get("n_heads")).value();
        for (String leg : List.of("layer'", "head'")) in.bindLeg(leg, leg.startsWith("layer") ? layers : heads, a.span());
        List<String> legs = List.of("layer", "head", "layer'", "head'");
        long[] shape = {layers, heads, layers, heads};
        if (!in.concrete()) return new Value.TensorValue(Bipartition.leaf(in, legs, shape, DType.FLOAT64, null, "scores", a));
        int d = (int) ((Value.Num) m.fields().get("d_model")).value(), dh = (int) ((Value.Num) m.fields().get("d_head")).value();
        tn.linalg.Contraction contraction = new tn.linalg.Contraction(in.evaluator(), a.span());
        List<String> headFirst = List.of("layer", "head", "d_model", "d_head");
        double[] wq = weights(a, m, "W_Q", headFirst, contraction), wk = weights(a, m, "W_K", headFirst, contraction);
        double[] wv = weights(a, m, "W_V", headFirst, contraction), wo = weights(a, m, "W_O", List.of("layer", "head", "d_head", "d_model"), contraction);
        tn.linalg.Composition.LowRank[] ov = new tn.linalg.Composition.LowRank[layers * heads], b = new tn.linalg.Composition.LowRank[layers * heads];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                int at = l * heads + h;
                tn.linalg.Matrix q = block(wq, at, d, dh), k = block(wk, at, d, dh), vv = block(wv, at, d, dh);
                tn.linalg.Matrix o = new tn.linalg.Matrix(dh, d, java.util.Arrays.copyOfRange(wo, at * dh * d, (at + 1) * dh * d)).transpose();
                ov[at] = new tn.linalg.Composition.LowRank(vv, o);
                b[at] = switch (kind) {
                    case "Q" -> new tn.linalg.Composition.LowRank(q, k);
                    case "K" -> new tn.linalg.Composition.LowRank(k, q);
                    default -> ov[at];
                };
            }
        }
        double[][] all = tn.linalg.Composition.scores(contraction, ov, b);
        double[] data = new double[layers * heads * layers * heads];
        for (int i = 0; i < layers * heads; i++) {
            for (int j = 0; j < layers * heads; j++) if (i / heads < j / heads) data[i * layers * heads + j] = all[i][j];
        }
        return new Value.TensorValue(Bipartition.leaf(in, legs, shape, m.fields().get("W_Q") instanceof Value.TensorValue t ? t.net().dtype() : DType.FLOAT64, data, "scores", a));
    }

    /**
     * A weight's entries with its legs in the order {@code legs} (a record may hold a weight in
     * any order of its legs: with(m, W_Q=...) takes whatever order the tensor has).
     */
    private static double[] weights(Args a, Value.Record m, String name, List<String> legs, tn.linalg.Contraction c) {
        if (!(m.fields().get(name) instanceof Value.TensorValue v)) throw a.error(0, a.name() + "(): the model's " + name + " is not a tensor");
        Tensor t = a.interpreter().evaluator().evaluate(v.net());
        if (t.legs().size() != legs.size() || !t.legs().containsAll(legs)) {
            throw a.error(0, a.name() + "(): the model's " + name + " has the legs " + t.legs() + "; it needs " + legs + " (in any order)");
        }
        return c.data(t, legs);
    }

    /** Head {@code at}'s [d_model, d_head] block of a [layer, head, d_model, d_head] array. */
    private static tn.linalg.Matrix block(double[] w, int at, int d, int dh) {
        return new tn.linalg.Matrix(d, dh, java.util.Arrays.copyOfRange(w, at * d * dh, (at + 1) * d * dh));
    }

    private static Value detach(Args a) {
        a.expect(1, 1, "a tensor");
        // Only x's value is asked for: its intermediates go as soon as they are used.
        Tensor t = a.interpreter().evaluator().valuesOnly(() -> a.interpreter().evaluator().evaluate(a.tensor(0)));
        return new Value.TensorValue(new Net.Leaf(t, "constant", a.span()));
    }

    static TreeSet<String> names(Map<String, ?> m) {
        return new TreeSet<>(m.keySet());
    }
}
