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

    /**
     * A file's tensors under normalised names (no transformer. prefix), read on demand: runs of
     * {@code run} entries starting at {@code from} in every row of {@code rowLength} entries of
     * each tensor in turn, as one new array of {@code shape} ({@link tn.io.Safetensors.Opened#read}).
     */
    interface Source extends AutoCloseable {
        Map<String, long[]> shapes();

        Dense read(List<String> names, long rowLength, long from, long run, long[] shape) throws NpyException;

        @Override
        void close();
    }

    /** The file's tensors: a .safetensors file read on demand, or an .npz file read whole. */
    static Source open(Path file, Backend backend, DType dtype) throws NpyException {
        if (file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors")) {
            tn.io.Safetensors.Opened st = tn.io.Safetensors.open(file);
            Map<String, String> raw = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : st.shapes().entrySet()) {
                raw.put(normal(e.getKey()), e.getKey());
                shapes.put(normal(e.getKey()), e.getValue());
            }
            return new Source() {
                public Map<String, long[]> shapes() { return shapes; }

                public Dense read(List<String> names, long rowLength, long from, long run, long[] shape) throws NpyException {
                    return st.read(backend, dtype, names.stream().map(raw::get).toList(), rowLength, from, run, shape);
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

            public Dense read(List<String> names, long rowLength, long from, long run, long[] shape) {
                long n = 1;
                for (long x : shape) n *= x;
                double[] d = new double[Math.toIntExact(n)];
                int at = 0;
                for (String k : names) {
                    double[] all = data.get(k).data();
                    for (long r = 0; r < all.length / rowLength; r++, at += (int) run) System.arraycopy(all, (int) (r * rowLength + from), d, at, (int) run);
                }
                return backend.fromDoubles(d, shape, dtype);
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
        long n = shape[0] * shape[1];
        Dense h = src.read(List.of(head), n, 0, n, shape), w = src.read(List.of(wte), n, 0, n, shape);
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
     */
    static Gpt2Weights convert(Source src, Backend b, int heads, boolean untied) throws NpyException {
        Map<String, long[]> shapes = src.shapes();
        Transformers.Config c = config(shapes, heads);
        int layers = c.layers(), d = c.dModel(), dh = c.dHead(), dMlp = c.dMlp(), vocab = c.vocab();
        Map<String, Tensor> w = new LinkedHashMap<>();
        Dense wte = whole(src, List.of(key(shapes, "wte", "weight")), vocab, d);
        w.put("W_E", Tensor.of(List.of("vocab", "d_model"), wte));
        w.put("W_pos", Tensor.of(List.of("ctx", "d_model"), whole(src, List.of(key(shapes, "wpe", "weight")), c.ctx(), d)));
        // Conv1D: y = x W + b with W [d_in, d_out]; the columns of c_attn are q | k | v, heads contiguous.
        List<String> attn = perLayer(shapes, layers, "attn.c_attn", "weight"), attnB = perLayer(shapes, layers, "attn.c_attn", "bias");
        String[] qkv = {"Q", "K", "V"};
        for (int k = 0; k < 3; k++) {
            // Columns k*d..(k+1)*d of every row: [layer, d_model, head, d_head], then heads before d_model.
            Dense cols = src.read(attn, 3L * d, (long) k * d, d, new long[] {layers, d, heads, dh});
            w.put("W_" + qkv[k], Tensor.of(List.of("layer", "head", "d_model", "d_head"), b.permute(cols, new int[] {0, 2, 1, 3})));
            b.release(cols);
            w.put("b_" + qkv[k], Tensor.of(List.of("layer", "head", "d_head"), src.read(attnB, 3L * d, (long) k * d, d, new long[] {layers, heads, dh})));
        }
        // c_proj rows h*dh..(h+1)*dh belong to head h: [d_model, d_model] is already W_O[head, d_head, d_model].
        w.put("W_O", Tensor.of(List.of("layer", "head", "d_head", "d_model"), whole(src, perLayer(shapes, layers, "attn.c_proj", "weight"), layers, heads, dh, d)));
        w.put("b_O", Tensor.of(List.of("layer", "d_model"), whole(src, perLayer(shapes, layers, "attn.c_proj", "bias"), layers, d)));
        for (String[] ln : new String[][] {{"ln1", "ln_1"}, {"ln2", "ln_2"}}) {
            w.put(ln[0] + "_w", Tensor.of(List.of("layer", "d_model"), whole(src, perLayer(shapes, layers, ln[1], "weight"), layers, d)));
            w.put(ln[0] + "_b", Tensor.of(List.of("layer", "d_model"), whole(src, perLayer(shapes, layers, ln[1], "bias"), layers, d)));
        }
        w.put("W_in", Tensor.of(List.of("layer", "d_model", "d_mlp"), whole(src, perLayer(shapes, layers, "mlp.c_fc", "weight"), layers, d, dMlp)));
        w.put("b_in", Tensor.of(List.of("layer", "d_mlp"), whole(src, perLayer(shapes, layers, "mlp.c_fc", "bias"), layers, dMlp)));
        w.put("W_out", Tensor.of(List.of("layer", "d_mlp", "d_model"), whole(src, perLayer(shapes, layers, "mlp.c_proj", "weight"), layers, dMlp, d)));
        w.put("b_out", Tensor.of(List.of("layer", "d_model"), whole(src, perLayer(shapes, layers, "mlp.c_proj", "bias"), layers, d)));
        w.put("lnf_w", Tensor.of(List.of("d_model"), whole(src, List.of(key(shapes, "ln_f", "weight")), d)));
        w.put("lnf_b", Tensor.of(List.of("d_model"), whole(src, List.of(key(shapes, "ln_f", "bias")), d)));
        // The unembedding as the file has it, [vocab, d_model] (legs are named: no transpose needed).
        Dense wu = untied ? whole(src, List.of(key(shapes, "lm_head", "weight")), vocab, d) : wte;
        w.put("W_U", Tensor.of(List.of("vocab", "d_model"), wu));
        Dense bu = shapes.containsKey("lm_head.bias") ? whole(src, List.of("lm_head.bias"), vocab) : b.full(new long[] {vocab}, 0, wte.dtype());
        w.put("b_U", Tensor.of(List.of("vocab"), bu));
        return new Gpt2Weights(c, w);
    }

    /** The tensors, each whole, one after another as one array of the shape. */
    private static Dense whole(Source src, List<String> names, long... shape) throws NpyException {
        long n = 1;
        for (long x : shape) n *= x;
        long each = n / names.size();
        return src.read(names, each, 0, each, shape);
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
