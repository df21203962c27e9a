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

/**
 * GPT-2's weights under their Hugging Face names (wte, wpe, h.{l}.ln_1, h.{l}.attn.c_attn, ...)
 * converted to tn's transformer layout: attention split into heads (W_Q[layer, head, d_model,
 * d_head], ...), everything stacked over layers, the unembedding wte's transpose or an untied
 * lm_head's. Names may carry a {@code transformer.} prefix and {@code .weight}/{@code .bias}
 * suffixes (both spellings are in use).
 */
record Gpt2Weights(Transformers.Config config, Map<String, double[]> weights) {
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

    static Map<String, NdData> read(Path file) throws NpyException {
        Map<String, NdData> raw = file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors")
                ? tn.io.Safetensors.read(file) : Npz.read(file);
        Map<String, NdData> out = new LinkedHashMap<>();
        for (Map.Entry<String, NdData> e : raw.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("transformer.")) k = k.substring("transformer.".length());
            out.put(k, e.getValue());
        }
        return out;
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

    /** The shapes of tensors that are read. */
    static Map<String, long[]> shapesOf(Map<String, NdData> raw) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, NdData> e : raw.entrySet()) shapes.put(e.getKey(), e.getValue().shape());
        return shapes;
    }

    /** Null when lm_head.weight equals wte.weight, else how it differs (for a config that says they are tied). */
    static String lmHeadDiffers(Map<String, NdData> raw) {
        double[] head = get(raw, "lm_head", "weight").data(), wte = get(raw, "wte", "weight").data();
        double worst = 0;
        for (int i = 0; i < head.length; i++) worst = Math.max(worst, Math.abs(head[i] - wte[i]));
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
     * The weights in tn's layout; {@code untied}: the unembedding is the file's lm_head.weight, else
     * wte's transpose; b_U is lm_head.bias if the file has one.
     */
    static Gpt2Weights convert(Map<String, NdData> raw, int heads, boolean untied) {
        Transformers.Config c = config(shapesOf(raw), heads);
        int layers = c.layers(), d = c.dModel(), dh = c.dHead(), dMlp = c.dMlp(), vocab = c.vocab();
        NdData wte = get(raw, "wte", "weight"), wpe = get(raw, "wpe", "weight");
        Map<String, double[]> w = new LinkedHashMap<>();
        w.put("W_E", wte.data());
        w.put("W_pos", wpe.data());
        double[] wq = new double[layers * heads * d * dh], wk = wq.clone(), wv = wq.clone(), wo = wq.clone();
        double[] bq = new double[layers * heads * dh], bk = bq.clone(), bv = bq.clone();
        double[] bo = new double[layers * d], ln1w = bo.clone(), ln1b = bo.clone(), ln2w = bo.clone(), ln2b = bo.clone(), bout = bo.clone();
        double[] win = new double[layers * d * dMlp], bin = new double[layers * dMlp], wout = new double[layers * dMlp * d];
        for (int l = 0; l < layers; l++) {
            String p = "h." + l + ".";
            NdData attn = get(raw, p + "attn.c_attn", "weight"), attnB = get(raw, p + "attn.c_attn", "bias");
            NdData proj = get(raw, p + "attn.c_proj", "weight"), projB = get(raw, p + "attn.c_proj", "bias");
            // Conv1D: y = x W + b with W [d_in, d_out]; the columns of c_attn are q | k | v, heads contiguous.
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < dh; j++) {
                        int at = ((l * heads + h) * d + i) * dh + j, col = h * dh + j;
                        wq[at] = attn.data()[i * 3 * d + col];
                        wk[at] = attn.data()[i * 3 * d + d + col];
                        wv[at] = attn.data()[i * 3 * d + 2 * d + col];
                    }
                }
                for (int j = 0; j < dh; j++) {
                    int at = (l * heads + h) * dh + j;
                    bq[at] = attnB.data()[h * dh + j];
                    bk[at] = attnB.data()[d + h * dh + j];
                    bv[at] = attnB.data()[2 * d + h * dh + j];
                    // c_proj rows h*dh..(h+1)*dh belong to head h: W_O[layer, head, d_head, d_model].
                    System.arraycopy(proj.data(), (h * dh + j) * d, wo, ((l * heads + h) * dh + j) * d, d);
                }
            }
            System.arraycopy(projB.data(), 0, bo, l * d, d);
            copy(raw, p + "ln_1", "weight", ln1w, l * d);
            copy(raw, p + "ln_1", "bias", ln1b, l * d);
            copy(raw, p + "ln_2", "weight", ln2w, l * d);
            copy(raw, p + "ln_2", "bias", ln2b, l * d);
            copy(raw, p + "mlp.c_fc", "weight", win, l * d * dMlp);
            copy(raw, p + "mlp.c_fc", "bias", bin, l * dMlp);
            copy(raw, p + "mlp.c_proj", "weight", wout, l * dMlp * d);
            copy(raw, p + "mlp.c_proj", "bias", bout, l * d);
        }
        w.put("W_Q", wq);
        w.put("W_K", wk);
        w.put("W_V", wv);
        w.put("W_O", wo);
        w.put("b_Q", bq);
        w.put("b_K", bk);
        w.put("b_V", bv);
        w.put("b_O", bo);
        w.put("ln1_w", ln1w);
        w.put("ln1_b", ln1b);
        w.put("ln2_w", ln2w);
        w.put("ln2_b", ln2b);
        w.put("W_in", win);
        w.put("b_in", bin);
        w.put("W_out", wout);
        w.put("b_out", bout);
        double[] lnfw = new double[d], lnfb = new double[d];
        copy(raw, "ln_f", "weight", lnfw, 0);
        copy(raw, "ln_f", "bias", lnfb, 0);
        w.put("lnf_w", lnfw);
        w.put("lnf_b", lnfb);
        unembed(untied ? get(raw, "lm_head", "weight") : wte, raw.get("lm_head.bias"), d, vocab, w);
        return new Gpt2Weights(c, w);
    }

    /** W_U [d_model, vocab] from a [vocab, d_model] matrix (wte, or lm_head.weight), and b_U (zeros without a bias). */
    private static void unembed(NdData matrix, NdData bias, int d, int vocab, Map<String, double[]> w) {
        double[] wu = new double[d * vocab];
        for (int v = 0; v < vocab; v++) for (int i = 0; i < d; i++) wu[i * vocab + v] = matrix.data()[v * d + i];
        w.put("W_U", wu);
        w.put("b_U", bias == null ? new double[vocab] : bias.data().clone());
    }

    /** A tensor known to be there (config() has checked every name and shape). */
    private static NdData get(Map<String, NdData> raw, String name, String suffix) {
        NdData x = raw.get(name + "." + suffix);
        return x != null ? x : raw.get(name);
    }

    private static void copy(Map<String, NdData> raw, String name, String suffix, double[] into, int at) {
        NdData x = get(raw, name, suffix);
        System.arraycopy(x.data(), 0, into, at, x.data().length);
    }
}
