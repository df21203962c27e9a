package tn.reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The path terms of a transformer's logits, in plain Java for tests, from the definition and
 * sharing nothing with tn: the model frozen on the tokens (attention patterns and layer norms'
 * factors 1 / sqrt(var + eps) taken from {@link ReferenceTransformer}'s forward pass), so a layer
 * norm is (x - mean(x)) s w plus its shift, and every term is a chain of linear maps from a source.
 *
 * <p>Sources: the embedding ("direct"), each layer's attention biases ("b_O0": b_O plus, per head,
 * (b_V + ln_1's shift W_V) W_O), each MLP's actual output ("MLP0") and the unembedding's biases
 * ("b_U": ln_f's shift W_U, and lm_head's bias). Each head (or whole layer) of layer l reads every term of the stream
 * before it through its V input ("L1H2<-V-L0H3"; "L0H3" when it reads the embedding). Terms are
 * listed in the order tn's expand() gives them.
 */
public final class ReferencePaths {
    private final ReferenceTransformer.Config c;
    private final Map<String, double[]> w;
    private final ReferenceTransformer.Trace trace;
    private final boolean biasTerms;

    /** The model's forward pass on tokens; biasTerms: whether the model has bias terms (biases or layer norm shifts). */
    public ReferencePaths(ReferenceTransformer model, int[] tokens, boolean biasTerms) {
        this.c = model.config();
        this.w = model.weights();
        this.trace = model.trace(tokens);
        this.biasTerms = biasTerms;
    }

    /** The model's logits [position][vocab] (what the terms add up to). */
    public double[][] logits() {
        return trace.logits();
    }

    /** Every term's contribution to the logits [position][vocab], by name; heads=false: whole layers. */
    public Map<String, double[][]> terms(boolean heads) {
        List<String> names = new ArrayList<>(List.of("direct"));
        List<double[][]> stream = new ArrayList<>();
        stream.add(trace.embedding());
        for (int l = 0; l < c.layers(); l++) {
            int before = names.size();
            List<String> newNames = new ArrayList<>(names);
            List<double[][]> newStream = new ArrayList<>(stream);
            for (int h = 0; h < (heads ? c.heads() : 1); h++) {
                String component = heads ? "L" + l + "H" + h : "L" + l;
                for (int k = 0; k < before; k++) {
                    newNames.add(names.get(k).equals("direct") ? component : component + "<-V-" + names.get(k));
                    newStream.add(heads ? head(l, h, stream.get(k)) : layer(l, stream.get(k)));
                }
            }
            if (biasTerms) {
                newNames.add("b_O" + l);
                newStream.add(attentionBias(l, trace.embedding().length));
            }
            if (!c.mlp().equals("none")) {
                newNames.add("MLP" + l);
                newStream.add(trace.mlpOut().get(l));
            }
            names = newNames;
            stream = newStream;
        }
        Map<String, double[][]> out = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) out.put(names.get(k), unembed(stream.get(k)));
        if (biasTerms) out.put("b_U", unembedBias(trace.embedding().length));
        return out;
    }

    /** (y - mean(y)) s w per position: a layer norm's linear part with its factors s fixed (y itself without layer norm). */
    private double[][] lnLinear(double[][] y, double[] s, String weight) {
        if (!c.layernorm()) return y;
        double[] g = w.get(weight);
        double[][] out = new double[y.length][];
        for (int t = 0; t < y.length; t++) {
            double mean = 0;
            for (double v : y[t]) mean += v;
            mean /= y[t].length;
            out[t] = new double[y[t].length];
            for (int i = 0; i < y[t].length; i++) out[t][i] = (y[t][i] - mean) * s[t] * g[i];
        }
        return out;
    }

    /** Head h of layer l applied to y read through ln_1's linear part: A (u W_V^h) W_O^h, no biases. */
    private double[][] head(int l, int h, double[][] y) {
        int n = y.length, d = c.dModel(), dh = d / c.heads();
        String p = "h." + l + ".";
        double[][] u = lnLinear(y, c.layernorm() ? trace.ln1().get(l) : null, p + "ln_1.weight");
        double[] attn = w.get(p + "attn.c_attn.weight"), proj = w.get(p + "attn.c_proj.weight");
        double[][][] a = trace.patterns().get(l);
        double[][] v = new double[n][dh];
        for (int t = 0; t < n; t++) for (int j = 0; j < dh; j++) for (int i = 0; i < d; i++) v[t][j] += u[t][i] * attn[i * 3 * d + 2 * d + h * dh + j];
        double[][] out = new double[n][d];
        for (int t = 0; t < n; t++) {
            double[] z = new double[dh];
            for (int s = 0; s < n; s++) for (int j = 0; j < dh; j++) z[j] += a[h][t][s] * v[s][j];
            for (int o = 0; o < d; o++) for (int j = 0; j < dh; j++) out[t][o] += z[j] * proj[(h * dh + j) * d + o];
        }
        return out;
    }

    private double[][] layer(int l, double[][] y) {
        double[][] out = new double[y.length][c.dModel()];
        for (int h = 0; h < c.heads(); h++) {
            double[][] one = head(l, h, y);
            for (int t = 0; t < y.length; t++) for (int o = 0; o < c.dModel(); o++) out[t][o] += one[t][o];
        }
        return out;
    }

    /** b_O + sum over heads of (b_V + ln_1's shift W_V) W_O, at every position. */
    private double[][] attentionBias(int l, int n) {
        int d = c.dModel(), dh = d / c.heads();
        String p = "h." + l + ".";
        double[] attn = w.get(p + "attn.c_attn.weight"), attnB = w.get(p + "attn.c_attn.bias"), proj = w.get(p + "attn.c_proj.weight");
        double[] shift = c.layernorm() ? w.get(p + "ln_1.bias") : new double[d];
        double[] vb = new double[d];
        for (int k = 0; k < d; k++) {
            vb[k] = attnB[2 * d + k];
            for (int i = 0; i < d; i++) vb[k] += shift[i] * attn[i * 3 * d + 2 * d + k];
        }
        double[] bias = w.get(p + "attn.c_proj.bias").clone();
        for (int o = 0; o < d; o++) for (int k = 0; k < d; k++) bias[o] += vb[k] * proj[k * d + o];
        double[][] out = new double[n][];
        for (int t = 0; t < n; t++) out[t] = bias.clone();
        return out;
    }

    /** y through ln_f's linear part (factors fixed) and W_U. */
    private double[][] unembed(double[][] y) {
        double[][] f = lnLinear(y, trace.lnf(), "ln_f.weight");
        double[][] out = new double[y.length][c.vocab()];
        for (int t = 0; t < y.length; t++) for (int v = 0; v < c.vocab(); v++) for (int i = 0; i < c.dModel(); i++) out[t][v] += f[t][i] * unembedding(i, v);
        return out;
    }

    /** ln_f's shift through W_U, plus lm_head's bias if there is one (GPT-2 has none), at every position. */
    private double[][] unembedBias(int n) {
        double[] b = c.layernorm() ? w.get("ln_f.bias") : new double[c.dModel()];
        double[] row = w.containsKey("lm_head.bias") ? w.get("lm_head.bias").clone() : new double[c.vocab()];
        for (int v = 0; v < c.vocab(); v++) for (int i = 0; i < c.dModel(); i++) row[v] += b[i] * unembedding(i, v);
        double[][] out = new double[n][];
        for (int t = 0; t < n; t++) out[t] = row.clone();
        return out;
    }

    /** W_U [d_model, vocab] at (i, v): an explicit W_U, an untied lm_head.weight [vocab, d_model], or wte. */
    private double unembedding(int i, int v) {
        double[] wu = w.get("W_U"), head = w.get("lm_head.weight");
        return wu != null ? wu[i * c.vocab() + v] : head != null ? head[v * c.dModel() + i] : w.get("wte.weight")[v * c.dModel() + i];
    }
}
