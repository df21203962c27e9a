package tn.reference;

import java.util.Map;

/**
 * A plain-Java forward pass of a GPT-2 style transformer for tests, written from the definition
 * with loops and sharing nothing with tn: weights under GPT-2's names and layouts (Conv1D
 * matrices [d_in, d_out], c_attn's columns q | k | v with heads contiguous), causal softmax
 * attention scaled by 1/sqrt(d_head), GELU (tanh approximation) or a bilinear MLP or none, layer
 * norms with biased variance and eps 1e-5 (or none), unembedding by wte^T (or an explicit W_U).
 * GPT-2 variants as Hugging Face's config.json describes them: another layer norm epsilon, scores
 * not scaled by 1/sqrt(d_head) (scale_attn_weights=false) or also divided by the layer's index + 1
 * (scale_attn_by_inverse_layer_idx, 0-based), and an untied unembedding lm_head.weight [vocab,
 * d_model] (nn.Linear's layout) with an optional lm_head.bias.
 */
public final class ReferenceTransformer {
    public record Config(int layers, int heads, int dModel, int dMlp, int vocab, String mlp, boolean layernorm,
            double lnEps, boolean scaleWeights, boolean inverseLayerScale) {
        public Config(int layers, int heads, int dModel, int dMlp, int vocab, String mlp, boolean layernorm) {
            this(layers, heads, dModel, dMlp, vocab, mlp, layernorm, 1e-5, true, false);
        }
    }

    private final Config c;
    private final Map<String, double[]> w;
    /** Where the forward pass being run records its intermediates (null: not recorded). */
    private Trace trace;

    /**
     * A forward pass's intermediates, for {@link ReferencePaths}: per layer the attention patterns
     * [head][query][key], the layer norms' factors 1 / sqrt(var + eps) per position (empty without
     * layer norm), and the MLP outputs [position][d_model]; the final layer norm's factors.
     */
    public record Trace(java.util.List<double[][][]> patterns, java.util.List<double[]> ln1, java.util.List<double[]> ln2,
            java.util.List<double[][]> mlpOut, double[][] embedding, double[][] logits, double[] lnf) {}

    public ReferenceTransformer(Config c, Map<String, double[]> weights) {
        this.c = c;
        this.w = weights;
    }

    public Config config() {
        return c;
    }

    public Map<String, double[]> weights() {
        return w;
    }

    /** The logits of tokens with the forward pass's intermediates. */
    public Trace trace(int[] tokens) {
        trace = new Trace(new java.util.ArrayList<>(), new java.util.ArrayList<>(), new java.util.ArrayList<>(),
                new java.util.ArrayList<>(), null, null, null);
        try {
            double[][] logits = logits(tokens);
            int n = tokens.length, d = c.dModel();
            double[][] x0 = new double[n][d];
            for (int t = 0; t < n; t++) for (int i = 0; i < d; i++) x0[t][i] = w.get("wte.weight")[tokens[t] * d + i] + w.get("wpe.weight")[t * d + i];
            return new Trace(trace.patterns(), trace.ln1(), trace.ln2(), trace.mlpOut(), x0, logits, lnf);
        } finally {
            trace = null;
            lnf = null;
        }
    }

    private double[] lnf;

    /** Logits [position][vocab]. */
    public double[][] logits(int[] tokens) {
        int n = tokens.length, d = c.dModel();
        double[][] x = new double[n][d];
        double[] wte = w.get("wte.weight"), wpe = w.get("wpe.weight");
        for (int t = 0; t < n; t++) for (int i = 0; i < d; i++) x[t][i] = wte[tokens[t] * d + i] + wpe[t * d + i];
        for (int l = 0; l < c.layers(); l++) {
            String p = "h." + l + ".";
            if (trace != null) trace.ln1().add(factors(x));
            double[][] a = attention(norm(x, p + "ln_1"), p, l);
            add(x, a);
            if (!c.mlp().equals("none")) {
                if (trace != null) trace.ln2().add(factors(x));
                double[][] out = mlp(norm(x, p + "ln_2"), p);
                if (trace != null) trace.mlpOut().add(out);
                add(x, out);
            }
        }
        if (trace != null) lnf = factors(x);
        double[][] f = norm(x, "ln_f");
        double[] wu = w.get("W_U"), head = w.get("lm_head.weight"), headBias = w.get("lm_head.bias");
        double[][] out = new double[n][c.vocab()];
        for (int t = 0; t < n; t++) {
            for (int v = 0; v < c.vocab(); v++) {
                double s = headBias != null ? headBias[v] : 0;
                for (int i = 0; i < d; i++) {
                    s += f[t][i] * (wu != null ? wu[i * c.vocab() + v] : head != null ? head[v * d + i] : wte[v * d + i]);
                }
                out[t][v] = s;
            }
        }
        return out;
    }

    private double[][] attention(double[][] x, String p, int layer) {
        int n = x.length, d = c.dModel(), h = c.heads(), dh = d / h;
        double[][] qkv = affine(x, w.get(p + "attn.c_attn.weight"), w.get(p + "attn.c_attn.bias"), d, 3 * d);
        double[][] z = new double[n][d];
        double[][][] pattern = new double[h][n][n];
        if (trace != null) trace.patterns().add(pattern);
        for (int head = 0; head < h; head++) {
            for (int t = 0; t < n; t++) {
                double[] score = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int j = 0; j < dh; j++) dot += qkv[t][head * dh + j] * qkv[s][d + head * dh + j];
                    score[s] = dot;
                    if (c.scaleWeights()) score[s] /= Math.sqrt(dh);
                    if (c.inverseLayerScale()) score[s] /= layer + 1;
                    max = Math.max(max, score[s]);
                }
                double total = 0;
                for (int s = 0; s <= t; s++) total += score[s] = Math.exp(score[s] - max);
                for (int s = 0; s <= t; s++) {
                    double a = score[s] / total;
                    pattern[head][t][s] = a;
                    for (int j = 0; j < dh; j++) z[t][head * dh + j] += a * qkv[s][2 * d + head * dh + j];
                }
            }
        }
        return affine(z, w.get(p + "attn.c_proj.weight"), w.get(p + "attn.c_proj.bias"), d, d);
    }

    private double[][] mlp(double[][] x, String p) {
        int d = c.dModel(), m = c.dMlp();
        double[][] hidden;
        if (c.mlp().equals("bilinear")) {
            double[][] a = affine(x, w.get(p + "mlp.W_1"), null, d, m), b = affine(x, w.get(p + "mlp.W_2"), null, d, m);
            hidden = new double[x.length][m];
            for (int t = 0; t < x.length; t++) for (int j = 0; j < m; j++) hidden[t][j] = a[t][j] * b[t][j];
        } else {
            hidden = affine(x, w.get(p + "mlp.c_fc.weight"), w.get(p + "mlp.c_fc.bias"), d, m);
            for (double[] row : hidden) {
                for (int j = 0; j < m; j++) {
                    double v = row[j];
                    row[j] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                }
            }
        }
        return affine(hidden, w.get(p + "mlp.c_proj.weight"), w.get(p + "mlp.c_proj.bias"), m, d);
    }

    /** A layer norm's factors 1 / sqrt(var + eps) at each position of x (none without layer norm). */
    private double[] factors(double[][] x) {
        if (!c.layernorm()) return new double[0];
        double[] s = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            double mean = 0, var = 0;
            for (double v : x[t]) mean += v;
            mean /= x[t].length;
            for (double v : x[t]) var += (v - mean) * (v - mean);
            s[t] = 1 / Math.sqrt(var / x[t].length + c.lnEps());
        }
        return s;
    }

    private double[][] norm(double[][] x, String name) {
        if (!c.layernorm()) return x;
        double[] g = w.get(name + ".weight"), b = w.get(name + ".bias");
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int d = x[t].length;
            double mean = 0, var = 0;
            for (double v : x[t]) mean += v;
            mean /= d;
            for (double v : x[t]) var += (v - mean) * (v - mean);
            var /= d;
            out[t] = new double[d];
            for (int i = 0; i < d; i++) out[t][i] = (x[t][i] - mean) / Math.sqrt(var + c.lnEps()) * g[i] + b[i];
        }
        return out;
    }

    /** x W + b with W [in, out] row-major (Conv1D). */
    private static double[][] affine(double[][] x, double[] wm, double[] b, int in, int out) {
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) s += x[t][i] * wm[i * out + o];
                y[t][o] = s;
            }
        }
        return y;
    }

    private static void add(double[][] x, double[][] y) {
        for (int t = 0; t < x.length; t++) for (int i = 0; i < x[t].length; i++) x[t][i] += y[t][i];
    }
}
