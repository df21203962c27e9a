package tn.interp.builtins;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The config.json that Hugging Face keeps beside a GPT-2's weights, read as a list of claims: what
 * the tensors cannot tell (the number of heads, layer norm's epsilon, how attention scores are
 * scaled, whether the unembedding is tied to wte), and what they can (layers, d_model, vocabulary,
 * context, d_mlp), which must agree with them. A setting tn does not implement is refused, never
 * ignored; keys that only matter for training, generation or other heads are accepted and have no
 * effect on the forward pass (they are listed in {@link #NO_EFFECT}).
 */
record Gpt2Config(String shown, JsonObject keys) {

    /** What a config says about the forward pass, with Hugging Face's defaults for absent keys. */
    record Settings(double lnEps, boolean scaleWeights, boolean inverseLayerScale, boolean tied) {}

    /** A claim of the config that the weights or the call contradict, or a setting tn refuses. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * Dropouts (training only), the initialiser, the summary head of GPT2DoubleHeadsModel, token
     * ids and generation parameters, caching, the dtype the weights were saved in (tn computes in
     * its own), bookkeeping; keys starting with an underscore are bookkeeping too.
     */
    static final Set<String> NO_EFFECT = Set.of("attn_pdrop", "embd_pdrop", "resid_pdrop", "summary_activation",
            "summary_first_dropout", "summary_proj_to_labels", "summary_type", "summary_use_proj", "initializer_range",
            "bos_token_id", "eos_token_id", "pad_token_id", "task_specific_params", "use_cache", "gradient_checkpointing",
            "torch_dtype", "transformers_version", "architectures", "output_past", "id2label", "label2id", "tokenizer_class",
            "return_dict", "output_hidden_states", "output_attentions");

    /** The keys tn reads (checked against the tensors, used, or refused when set to what tn does not implement). */
    static final Set<String> READ = Set.of("n_head", "n_layer", "n_embd", "n_positions", "n_ctx", "vocab_size", "n_inner",
            "layer_norm_epsilon", "scale_attn_weights", "scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn",
            "activation_function", "tie_word_embeddings", "model_type", "add_cross_attention", "pruned_heads");

    /**
     * The GELUs that are tn's (the tanh approximation 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))),
     * GPT-2's "gelu_new"; "gelu_pytorch_tanh" and "gelu_fast" are the same function written otherwise).
     */
    static final Set<String> TANH_GELU = Set.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast");

    /** The config.json beside the weights {@code name} (resolved as {@code file}), or null when there is none. */
    static Gpt2Config read(String name, Path file) {
        Path config = file.resolveSibling("config.json");
        Path named = Path.of(name).getParent();
        String shown = named == null ? "config.json" : named.resolve("config.json").toString();
        if (!Files.exists(config)) return null;
        String text;
        try {
            text = Files.readString(config, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Refused(shown + ": not JSON (it is not UTF-8 text)");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new Refused(shown + ": cannot be read (" + e.getMessage() + ")");
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (com.google.gson.JsonParseException e) {
            throw new Refused(shown + ": not JSON (" + e.getMessage() + ")");
        }
        if (root == null || !root.isJsonObject()) throw new Refused(shown + ": a model's config is a JSON object of settings");
        Gpt2Config c = new Gpt2Config(shown, root.getAsJsonObject());
        c.refuseUnknown();
        return c;
    }

    private void refuseUnknown() {
        List<String> unknown = new ArrayList<>();
        for (String k : keys.keySet()) if (!READ.contains(k) && !NO_EFFECT.contains(k) && !k.startsWith("_")) unknown.add(k);
        if (!unknown.isEmpty()) {
            throw new Refused(shown + ": " + (unknown.size() == 1 ? "the setting " : "the settings ") + String.join(", ", unknown)
                    + (unknown.size() == 1 ? " is" : " are") + " not one tn knows, and might change the model; tn reads " + String.join(", ",
                    new java.util.TreeSet<>(READ)) + " and accepts the keys that only matter for training or generation");
        }
    }

    /** n_head, or null when the config does not say. */
    Integer heads() {
        return keys.has("n_head") ? whole("n_head") : null;
    }

    /**
     * Checks the config against the configuration the tensors imply ({@code weights}: the file as
     * named in the call) and against what tn implements; returns what the forward pass needs.
     */
    Settings check(Transformers.Config c, String weights, boolean hasLmHead) {
        agree("n_layer", c.layers(), weights + " has " + c.layers() + " layers (h.0 to h." + (c.layers() - 1) + ")");
        agree("n_embd", c.dModel(), "wte.weight in " + weights + " has d_model " + c.dModel());
        agree("vocab_size", c.vocab(), "wte.weight in " + weights + " has " + c.vocab() + " tokens");
        agree("n_positions", c.ctx(), "wpe.weight in " + weights + " has " + c.ctx() + " positions");
        agree("n_ctx", c.ctx(), "wpe.weight in " + weights + " has " + c.ctx() + " positions");
        if (keys.has("n_inner") && !keys.get("n_inner").isJsonNull()) {
            agree("n_inner", c.dMlp(), "h.0.mlp.c_fc.weight in " + weights + " has d_mlp " + c.dMlp());
        } else if (c.dMlp() != 4 * c.dModel()) {
            throw new Refused(shown + ": n_inner is " + (keys.has("n_inner") ? "null" : "not given") + ", which means 4 * n_embd = "
                    + 4 * c.dModel() + ", but h.0.mlp.c_fc.weight in " + weights + " has d_mlp " + c.dMlp());
        }
        if (keys.has("model_type")) {
            String type = string("model_type");
            if (!type.equals("gpt2")) throw new Refused(shown + ": model_type is \"" + type + "\"; load_gpt2() reads GPT-2 models (\"gpt2\")");
        }
        if (keys.has("activation_function")) {
            String act = string("activation_function");
            if (!TANH_GELU.contains(act)) {
                throw new Refused(shown + ": activation_function is \"" + act + "\", but tn's MLPs use GPT-2's GELU, the tanh"
                        + " approximation (\"gelu_new\"); tn does not implement \"" + act + "\"");
            }
        }
        if (keys.has("add_cross_attention") && bool("add_cross_attention", false)) {
            throw new Refused(shown + ": add_cross_attention is true; tn does not implement cross-attention (GPT-2 as a decoder of an encoder)");
        }
        if (keys.has("pruned_heads") && !(keys.get("pruned_heads").isJsonObject() && keys.getAsJsonObject("pruned_heads").size() == 0)) {
            throw new Refused(shown + ": pruned_heads is " + keys.get("pruned_heads") + "; tn does not implement pruned heads"
                    + " (every layer has n_head heads)");
        }
        double eps = number("layer_norm_epsilon", 1e-5);
        if (!(eps > 0)) throw new Refused(shown + ": layer_norm_epsilon is " + keys.get("layer_norm_epsilon") + ", not a positive number");
        // reorder_and_upcast_attn computes the attention scores in float32 for half-precision models:
        // the same function, and tn computes in float32 or float64 anyway. Read for its type only.
        bool("reorder_and_upcast_attn", false);
        boolean tied = bool("tie_word_embeddings", true);
        if (!tied && !hasLmHead) {
            throw new Refused(shown + ": tie_word_embeddings is false, but " + weights + " has no lm_head.weight to unembed with");
        }
        return new Settings(eps, bool("scale_attn_weights", true), bool("scale_attn_by_inverse_layer_idx", false), tied);
    }

    /** The same settings without a config.json: GPT-2's, the unembedding untied when the file has lm_head.weight. */
    static Settings defaults(boolean hasLmHead) {
        return new Settings(1e-5, true, false, !hasLmHead);
    }

    private void agree(String key, long actual, String fact) {
        if (!keys.has(key)) return;
        long said = whole(key);
        if (said != actual) throw new Refused(shown + ": " + key + " is " + said + ", but " + fact);
    }

    private int whole(String key) {
        JsonElement e = keys.get(key);
        try {
            double d = e.getAsDouble();
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() && d == Math.rint(d) && d >= 1 && d <= Integer.MAX_VALUE) return (int) d;
        } catch (RuntimeException ignored) {
            // not a number: the error below
        }
        throw new Refused(shown + ": " + key + " is " + e + ", not a positive whole number");
    }

    private double number(String key, double otherwise) {
        if (!keys.has(key)) return otherwise;
        JsonElement e = keys.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) return e.getAsDouble();
        throw new Refused(shown + ": " + key + " is " + e + ", not a number");
    }

    private boolean bool(String key, boolean otherwise) {
        if (!keys.has(key)) return otherwise;
        JsonElement e = keys.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) return e.getAsBoolean();
        throw new Refused(shown + ": " + key + " is " + e + ", not true or false");
    }

    private String string(String key) {
        JsonElement e = keys.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) return e.getAsString();
        throw new Refused(shown + ": " + key + " is " + e + ", not a string");
    }
}
