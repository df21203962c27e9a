package tn.interp.builtins;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tn.io.NdData;
import tn.io.NpyException;
import tn.io.Npz;
import tn.net.Tensor;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * GPT-2's weights under their Hugging Face names (wte, wpe, h.{l}.ln_1, h.{l}.attn.c_attn, ...)
 * converted to tn's transformer layout: attention split into heads (W_Q[layer, head, d_model,
 * d_head], ...), everything stacked over layers, the unembedding wte's transpose or an untied
 * lm_head's. Names may carry a {@code transformer.} prefix and {@code .weight}/{@code .bias}
 * suffixes (both spellings are in use).
 *
 * <p>The weights are read straight into the backend's arrays in the script's dtype ({@link Source}):
 * what is already in tn's layout (wte, wpe, the MLP, layer norms, c_proj as W_O) is read as it
 * lies, stacked over layers by reading one run per layer; W_Q, W_K and W_V are read as blocks of
 * c_attn's columns and put in head order by one permutation each. The unembedding is wte itself
 * (or lm_head.weight) with legs [vocab, d_model]: no transposed copy.
 */
record Gpt2Weights(Transformers.Config config, Map<String, Tensor> weights) {
    private static final Pattern LAYER = Pattern.compile("h\\.(\\d+)\\..*");

    /** The tensors' shapes without their data (for the checking pass), names normalised. */
    static Map<String, long[]> shapes(Path file) throws NpyException {
        Map<String, long[]> raw = new LinkedHashMap<>();
        if (file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors")) {
            raw.putAll(tn.io.Safetensors.shapes(file));
        } else {
            for (Map.Entry<String, tn.io.NpyHeader> e : Npz.readHeaders(file).entrySet()) raw.put(e.getKey(), e.getValue().shape());
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : raw.entrySet()) {
            String k = e.getKey();
            for (long d : e.getValue()) {
                if (d == 0) throw new IllegalArgumentException("tensor " + k + " has an axis of size 0 (shape " + Arrays.toString(e.getValue()) + ")");
            }
            out.put(k.startsWith("transformer.") ? k.substring("transformer.".length()) : k, e.getValue());
        }
        return out;
    }

    /** A file's tensors under normalised names (no transformer. prefix), each made on demand. */
    interface Source extends AutoCloseable {
        Map<String, long[]> shapes();

        /** One whole tensor as an array of the shape: mapped where the backend can, else read. */
        Dense tensor(String name, long[] shape) throws NpyException;

        @Override
        void close();
    }

    /**
     * The file's tensors: a .safetensors file read on demand (whole tensors mapped when
     * {@code map} and the backend can), or an .npz file read whole.
     */
    static Source open(Path file, Backend backend, DType dtype, boolean map) throws NpyException {
        if (file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors")) {
            tn.io.Safetensors.Opened st = tn.io.Safetensors.open(file, map);
            Map<String, String> raw = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : st.shapes().entrySet()) {
                raw.put(normal(e.getKey()), e.getKey());
                shapes.put(normal(e.getKey()), e.getValue());
            }
            return new Source() {
                public Map<String, long[]> shapes() { return shapes; }

                public Dense tensor(String name, long[] shape) throws NpyException {
                    return st.tensor(backend, dtype, raw.get(name), shape);
                }

                public void close() { st.close(); }
            };
        }
        Map<String, NdData> data = new LinkedHashMap<>();
        for (Map.Entry<String, NdData> e : Npz.read(file).entrySet()) data.put(normal(e.getKey()), e.getValue());
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, NdData> e : data.entrySet()) shapes.put(e.getKey(), e.getValue().shape());
        return new Source() {
            public Map<String, long[]> shapes() { return shapes; }

            public Dense tensor(String name, long[] shape) {
                return backend.fromDoubles(data.get(name).data(), shape, dtype);
            }

            public void close() {}
        };
    }

    private static String normal(String k) {
        return k.startsWith("transformer.") ? k.substring("transformer.".length()) : k;
    }

    /** The configuration the tensors' shapes imply, after checking that every tensor is there with its shape. */
    static Transformers.Config config(Map<String, long[]> shapes, int heads) {
        long[] wte = shape(shapes, "wte", "weight", 2, null), wpe = shape(shapes, "wpe", "weight", 2, null);
        int vocab = (int) wte[0], d = (int) wte[1], ctx = (int) wpe[0];
        shape(shapes, "wpe", "weight", 2, new long[] {ctx, d});
        int layers = 0;
        for (String k : shapes.keySet()) {
            Matcher m = LAYER.matcher(k);
            if (m.matches()) layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
        }
        if (layers == 0) throw new IllegalArgumentException("no layers (no tensors named h.0.*)");
        if (d % heads != 0) throw new IllegalArgumentException("d_model " + d + " is not divisible by heads=" + heads);
        int dMlp = (int) shape(shapes, "h.0.mlp.c_fc", "weight", 2, null)[1];
        for (int l = 0; l < layers; l++) {
            String p = "h." + l + ".";
            shape(shapes, p + "attn.c_attn", "weight", 2, new long[] {d, 3L * d});
            shape(shapes, p + "attn.c_attn", "bias", 1, new long[] {3L * d});
            shape(shapes, p + "attn.c_proj", "weight", 2, new long[] {d, d});
            shape(shapes, p + "attn.c_proj", "bias", 1, new long[] {d});
            for (String ln : List.of("ln_1", "ln_2")) {
                shape(shapes, p + ln, "weight", 1, new long[] {d});
                shape(shapes, p + ln, "bias", 1, new long[] {d});
            }
            shape(shapes, p + "mlp.c_fc", "weight", 2, new long[] {d, dMlp});
            shape(shapes, p + "mlp.c_fc", "bias", 1, new long[] {dMlp});
            shape(shapes, p + "mlp.c_proj", "weight", 2, new long[] {dMlp, d});
            shape(shapes, p + "mlp.c_proj", "bias", 1, new long[] {d});
        }
        shape(shapes, "ln_f", "weight", 1, new long[] {d});
        shape(shapes, "ln_f", "bias", 1, new long[] {d});
        unembedding(shapes, vocab, d);
        unknown(shapes);
        return new Transformers.Config(layers, heads, d, d / heads, dMlp, vocab, ctx, "gelu", true);
    }

    /** An untied unembedding, lm_head.weight [vocab, d_model] (nn.Linear's layout), and its bias if any, have their shapes. */
    private static void unembedding(Map<String, long[]> shapes, int vocab, int d) {
        if (!hasLmHead(shapes)) {
            if (shapes.containsKey("lm_head.bias")) throw new IllegalArgumentException("lm_head.bias without lm_head.weight");
            return;
        }
        shape(shapes, "lm_head", "weight", 2, new long[] {vocab, d});
        if (shapes.containsKey("lm_head.bias")) shape(shapes, "lm_head", "bias", 1, new long[] {vocab});
    }

    static boolean hasLmHead(Map<String, long[]> shapes) {
        return shapes.containsKey("lm_head.weight") || shapes.containsKey("lm_head");
    }

    /** The tensors of a GPT-2 block; attn.bias and attn.masked_bias are the causal mask, kept as buffers by old checkpoints. */
    private static final Pattern BLOCK = Pattern.compile("h\\.\\d+\\.(ln_1|ln_2|attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj)(\\.weight|\\.bias)?"
            + "|h\\.\\d+\\.attn\\.(bias|masked_bias)");
    private static final Pattern TOP = Pattern.compile("(wte|wpe|lm_head)(\\.weight)?|ln_f\\.(weight|bias)|lm_head\\.bias");

    /**
     * Tensors tn would not read are refused (cross-attention, a classification head...): a file
     * that holds more than a GPT-2 is not loaded as if it were one.
     */
    private static void unknown(Map<String, long[]> shapes) {
        List<String> unknown = new java.util.ArrayList<>();
        for (String k : shapes.keySet()) if (!BLOCK.matcher(k).matches() && !TOP.matcher(k).matches()) unknown.add(k);
        if (unknown.isEmpty()) return;
        throw new IllegalArgumentException("tensors that are not GPT-2's: " + String.join(", ", unknown.stream().limit(6).toList())
                + (unknown.size() > 6 ? " and " + (unknown.size() - 6) + " more" : "") + "; load_gpt2() reads wte, wpe, h.{l}.ln_1,"
                + " h.{l}.attn.c_attn, h.{l}.attn.c_proj, h.{l}.ln_2, h.{l}.mlp.c_fc, h.{l}.mlp.c_proj, ln_f and lm_head, and refuses"
                + " a file with more (another architecture, or a classification head) rather than ignore part of it");
    }

    /**
     * Null when lm_head.weight equals wte.weight, else how it differs (for a config that says they
     * are tied); compared in float64, so no difference is rounded away.
     */
    static String lmHeadDiffers(Source src, Backend b) throws NpyException {
        Map<String, long[]> shapes = src.shapes();
        String head = key(shapes, "lm_head", "weight"), wte = key(shapes, "wte", "weight");
        long[] shape = shapes.get(wte);
        Dense h = src.tensor(head, shape), w = src.tensor(wte, shape);
        Dense diff = b.linearCombination(List.of(h, w), new double[] {1, -1});
        b.release(h);
        b.release(w);
        Dense abs = b.map(diff, Backend.Elementwise.ABS, 0);
        b.release(diff);
        double worst = b.toDoubles(b.reduce(abs, new int[] {0, 1}, Backend.Reduction.MAX))[0];
        b.release(abs);
        return worst == 0 ? null : "their entries differ by up to " + tn.interp.Printer.number(worst);
    }

    private static long[] shape(Map<String, long[]> shapes, String name, String suffix, int rank, long[] expected) {
        String key = name + "." + suffix;
        long[] s = shapes.get(key);
        if (s == null && suffix.equals("weight")) s = shapes.get(name);
        if (s == null) {
            throw new IllegalArgumentException("missing tensor " + key + " (the file has " + shapes.size()
                    + " tensors, e.g. " + String.join(", ", shapes.keySet().stream().limit(4).toList()) + ")");
        }
        if (s.length != rank || (expected != null && !Arrays.equals(s, expected))) {
            throw new IllegalArgumentException(key + " has shape " + Arrays.toString(s) + " but "
                    + (expected != null ? Arrays.toString(expected) : "rank " + rank) + " was expected");
        }
        return s;
    }

    /**
     * The weights in tn's layout, in the dtype of {@code src}'s arrays; {@code untied}: the
     * unembedding is the file's lm_head.weight, else wte; b_U is lm_head.bias if the file has one.
     * Every tensor is the file's memory where the backend maps it ({@link Source#tensor}); the
     * layer-stacked weights are {@link Backend#stack}s of the layers' tensors, so a layer's
     * weights are ready when picked and a whole stack is made only if something needs it whole.
     */
    static Gpt2Weights convert(Source src, Backend b, int heads, boolean untied) throws NpyException {
        Map<String, long[]> shapes = src.shapes();
        Transformers.Config c = config(shapes, heads);
        int layers = c.layers(), d = c.dModel(), dh = c.dHead(), dMlp = c.dMlp(), vocab = c.vocab();
        Map<String, Tensor> w = new LinkedHashMap<>();
        Dense wte = src.tensor(key(shapes, "wte", "weight"), new long[] {vocab, d});
        w.put("W_E", Tensor.of(List.of("vocab", "d_model"), wte));
        w.put("W_pos", Tensor.of(List.of("ctx", "d_model"), src.tensor(key(shapes, "wpe", "weight"), new long[] {c.ctx(), d})));
        // Conv1D: y = x W + b with W [d_in, d_out]; the columns of c_attn are q | k | v, heads
        // contiguous. A layer's W_Q, W_K and W_V [head, d_model, d_head] are strided views of its
        // c_attn [d_model, 3, head, d_head] (Backend.strided): no copy, and x W_Q is one product
        // reading the columns in place at a leading dimension of 3 d_model.
        List<Dense> attn = perLayer(src, shapes, layers, "attn.c_attn", "weight", d, 3L * d);
        List<Dense> attnB = perLayer(src, shapes, layers, "attn.c_attn", "bias", 3L, heads, dh);
        String[] names = {"Q", "K", "V"};
        DType dtype = wte.dtype();
        for (int k = 0; k < 3; k++) {
            int part = k;
            w.put("W_" + names[k], Tensor.of(List.of("layer", "head", "d_model", "d_head"),
                    b.stack(new long[] {layers, heads, d, dh}, dtype,
                            l -> b.strided(attn.get(l), (long) part * d, new long[] {1, heads, d, dh}, new long[] {0, dh, 3L * d, 1}))));
            w.put("b_" + names[k], Tensor.of(List.of("layer", "head", "d_head"),
                    b.stack(new long[] {layers, heads, dh}, dtype, l -> b.take(attnB.get(l), 0, part))));
        }
        // c_proj rows h*dh..(h+1)*dh belong to head h: [d_model, d_model] is already W_O[head, d_head, d_model].
        w.put("W_O", stacked(b, dtype, List.of("layer", "head", "d_head", "d_model"), perLayer(src, shapes, layers, "attn.c_proj", "weight", heads, dh, d)));
        w.put("b_O", stacked(b, dtype, List.of("layer", "d_model"), perLayer(src, shapes, layers, "attn.c_proj", "bias", d)));
        for (String[] ln : new String[][] {{"ln1", "ln_1"}, {"ln2", "ln_2"}}) {
            w.put(ln[0] + "_w", stacked(b, dtype, List.of("layer", "d_model"), perLayer(src, shapes, layers, ln[1], "weight", d)));
            w.put(ln[0] + "_b", stacked(b, dtype, List.of("layer", "d_model"), perLayer(src, shapes, layers, ln[1], "bias", d)));
        }
        w.put("W_in", stacked(b, dtype, List.of("layer", "d_model", "d_mlp"), perLayer(src, shapes, layers, "mlp.c_fc", "weight", d, dMlp)));
        w.put("b_in", stacked(b, dtype, List.of("layer", "d_mlp"), perLayer(src, shapes, layers, "mlp.c_fc", "bias", dMlp)));
        w.put("W_out", stacked(b, dtype, List.of("layer", "d_mlp", "d_model"), perLayer(src, shapes, layers, "mlp.c_proj", "weight", dMlp, d)));
        w.put("b_out", stacked(b, dtype, List.of("layer", "d_model"), perLayer(src, shapes, layers, "mlp.c_proj", "bias", d)));
        w.put("lnf_w", Tensor.of(List.of("d_model"), src.tensor(key(shapes, "ln_f", "weight"), new long[] {d})));
        w.put("lnf_b", Tensor.of(List.of("d_model"), src.tensor(key(shapes, "ln_f", "bias"), new long[] {d})));
        // The unembedding as the file has it, [vocab, d_model] (legs are named: no transpose needed).
        Dense wu = untied ? src.tensor(key(shapes, "lm_head", "weight"), new long[] {vocab, d}) : wte;
        w.put("W_U", Tensor.of(List.of("vocab", "d_model"), wu));
        Dense bu = shapes.containsKey("lm_head.bias") ? src.tensor("lm_head.bias", new long[] {vocab}) : b.full(new long[] {vocab}, 0, dtype);
        w.put("b_U", Tensor.of(List.of("vocab"), bu));
        return new Gpt2Weights(c, w);
    }

    /** The layers' tensors stacked over a first leg, layer (each given a first axis of 1 when taken). */
    private static Tensor stacked(Backend b, DType dtype, List<String> legs, List<Dense> layers) {
        long[] one = layers.get(0).shape(), shape = new long[one.length + 1];
        shape[0] = layers.size();
        System.arraycopy(one, 0, shape, 1, one.length);
        long[] first = shape.clone();
        first[0] = 1;
        return Tensor.of(legs, b.stack(shape, dtype, l -> b.reshape(layers.get(l), first)));
    }

    /** One tensor of every layer, each of the shape (mapped where the backend can, else read). */
    private static List<Dense> perLayer(Source src, Map<String, long[]> shapes, int layers, String name, String suffix, long... shape)
            throws NpyException {
        List<Dense> out = new java.util.ArrayList<>();
        for (String k : perLayer(shapes, layers, name, suffix)) out.add(src.tensor(k, shape));
        return out;
    }

    /** The names of one tensor of every layer, as the file spells them. */
    private static List<String> perLayer(Map<String, long[]> shapes, int layers, String name, String suffix) {
        List<String> out = new java.util.ArrayList<>();
        for (int l = 0; l < layers; l++) out.add(key(shapes, "h." + l + "." + name, suffix));
        return out;
    }

    /** The name a tensor known to be there has in the file: with the suffix, or without it for a weight. */
    private static String key(Map<String, long[]> shapes, String name, String suffix) {
        String k = name + "." + suffix;
        return shapes.containsKey(k) ? k : name;
    }
}
