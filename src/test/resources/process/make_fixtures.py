#!/usr/bin/env python3
"""Generates the fixtures of tn's weight-processing test (tn.interp.ProcessWeightsTest).

Run from anywhere with python3 and numpy:  python3 make_fixtures.py
The outputs are checked in; the Java test never runs Python.

An independent reference for TransformerLens's weight processing, written from the maths (not
from TransformerLens's code, and sharing nothing with tn): a small GPT-2-shaped model with biases,
layer norms, a GELU MLP and an untied unembedding with a bias, processed in float64 numpy as
TransformerLens's HookedTransformer.from_pretrained does (fold_ln with centred weights,
center_writing_weights, center_unembed, fold_value_biases), then run by a plain numpy GPT-2
forward pass.

gpt2.npz      the model under Hugging Face GPT-2 names (what tn's load_gpt2 reads; heads=HEADS).
expected.npz  for every case below, "<case>__<name>": the processed weights in tn's layout
              (W_E [vocab, d_model], W_Q [layer, head, d_model, d_head], W_O [layer, head, d_head,
              d_model], ...), the logits of TOKENS [pos, vocab] and the composition scores comp_Q,
              comp_K, comp_V [layer, head, layer', head'] (0 unless layer < layer').
It prints how far the composition scores of tn's plain fold_layernorm (no centring) are from the
processed model's, the figure docs/language.md quotes.
"""
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
LAYERS, HEADS, D, D_HEAD, D_MLP, VOCAB, CTX = 2, 3, 12, 4, 24, 17, 8
TOKENS = [3, 1, 4, 1, 5, 9, 2]
EPS = 1e-5

# ---- the model, under Hugging Face's GPT-2 names ---------------------------------------------

rng = np.random.default_rng(20261207)


def normal(shape, std, mean=0.0):
    return mean + std * rng.standard_normal(shape)


hf = {"wte.weight": normal((VOCAB, D), 0.5), "wpe.weight": normal((CTX, D), 0.5)}
# Every row of the embeddings gets a common offset, so that centring the writing weights matters.
hf["wte.weight"] += 0.3
hf["wpe.weight"] -= 0.2
for l in range(LAYERS):
    p = f"h.{l}."
    hf[p + "ln_1.weight"] = normal(D, 0.2, 1.0)
    hf[p + "ln_1.bias"] = normal(D, 0.2)
    hf[p + "attn.c_attn.weight"] = normal((D, 3 * D), 0.4) + 0.05
    hf[p + "attn.c_attn.bias"] = normal(3 * D, 0.2)
    hf[p + "attn.c_proj.weight"] = normal((D, D), 0.3) + 0.05
    hf[p + "attn.c_proj.bias"] = normal(D, 0.2)
    hf[p + "ln_2.weight"] = normal(D, 0.2, 1.0)
    hf[p + "ln_2.bias"] = normal(D, 0.2)
    hf[p + "mlp.c_fc.weight"] = normal((D, D_MLP), 0.3)
    hf[p + "mlp.c_fc.bias"] = normal(D_MLP, 0.2)
    hf[p + "mlp.c_proj.weight"] = normal((D_MLP, D), 0.3) + 0.05
    hf[p + "mlp.c_proj.bias"] = normal(D, 0.2)
hf["ln_f.weight"] = normal(D, 0.2, 1.0)
hf["ln_f.bias"] = normal(D, 0.2)
hf["lm_head.weight"] = normal((VOCAB, D), 0.5) + 0.1
hf["lm_head.bias"] = normal(VOCAB, 0.3) + 0.5

# ---- the same weights in tn's layout ---------------------------------------------------------


def tn_layout(hf):
    """Stacked over layers; Conv1D's x @ W columns split into Q, K, V, then heads."""
    w = {"W_E": hf["wte.weight"].copy(), "W_pos": hf["wpe.weight"].copy()}
    per_layer = {k: [] for k in ["W_Q", "W_K", "W_V", "W_O", "b_Q", "b_K", "b_V", "b_O", "ln1_w", "ln1_b",
                                 "ln2_w", "ln2_b", "W_in", "b_in", "W_out", "b_out"]}
    for l in range(LAYERS):
        p = f"h.{l}."
        W, b = hf[p + "attn.c_attn.weight"], hf[p + "attn.c_attn.bias"]
        for i, name in enumerate("QKV"):
            # columns i*D + h*D_HEAD + e  ->  [head, d_model, d_head]
            per_layer["W_" + name].append(W[:, i * D:(i + 1) * D].reshape(D, HEADS, D_HEAD).transpose(1, 0, 2))
            per_layer["b_" + name].append(b[i * D:(i + 1) * D].reshape(HEADS, D_HEAD))
        per_layer["W_O"].append(hf[p + "attn.c_proj.weight"].reshape(HEADS, D_HEAD, D))
        per_layer["b_O"].append(hf[p + "attn.c_proj.bias"])
        per_layer["ln1_w"].append(hf[p + "ln_1.weight"])
        per_layer["ln1_b"].append(hf[p + "ln_1.bias"])
        per_layer["ln2_w"].append(hf[p + "ln_2.weight"])
        per_layer["ln2_b"].append(hf[p + "ln_2.bias"])
        per_layer["W_in"].append(hf[p + "mlp.c_fc.weight"])
        per_layer["b_in"].append(hf[p + "mlp.c_fc.bias"])
        per_layer["W_out"].append(hf[p + "mlp.c_proj.weight"])
        per_layer["b_out"].append(hf[p + "mlp.c_proj.bias"])
    for k, v in per_layer.items():
        w[k] = np.stack(v)
    w["lnf_w"], w["lnf_b"] = hf["ln_f.weight"].copy(), hf["ln_f.bias"].copy()
    w["W_U"], w["b_U"] = hf["lm_head.weight"].T.copy(), hf["lm_head.bias"].copy()
    return w


# ---- a GPT-2 forward pass ----------------------------------------------------------------------


def layer_norm(x, w, b):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * w + b


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def forward(w, tokens):
    n = len(tokens)
    x = w["W_E"][tokens] + w["W_pos"][:n]
    causal = np.triu(np.ones((n, n), dtype=bool), 1)
    for l in range(LAYERS):
        h = layer_norm(x, w["ln1_w"][l], w["ln1_b"][l])
        q = np.einsum("pd,hde->hpe", h, w["W_Q"][l]) + w["b_Q"][l][:, None, :]
        k = np.einsum("pd,hde->hpe", h, w["W_K"][l]) + w["b_K"][l][:, None, :]
        v = np.einsum("pd,hde->hpe", h, w["W_V"][l]) + w["b_V"][l][:, None, :]
        s = np.einsum("hpe,hqe->hpq", q, k) / np.sqrt(D_HEAD)
        s[:, causal] = -np.inf
        a = np.exp(s - s.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        z = np.einsum("hpq,hqe->hpe", a, v)
        x = x + np.einsum("hpe,hed->pd", z, w["W_O"][l]) + w["b_O"][l]
        h = layer_norm(x, w["ln2_w"][l], w["ln2_b"][l])
        x = x + gelu_tanh(h @ w["W_in"][l] + w["b_in"][l]) @ w["W_out"][l] + w["b_out"][l]
    return layer_norm(x, w["lnf_w"], w["lnf_b"]) @ w["W_U"] + w["b_U"]


# ---- TransformerLens's processing, from the maths ----------------------------------------------


def fold_ln(w, center):
    """A layer norm's output n w + b read by W: n (w W) + (b W + bias); its scale becomes 1 and its
    shift 0. With center, each reading weight loses its mean over d_model (n sums to 0 over it)."""
    w = {k: v.copy() for k, v in w.items()}
    for name in "QKV":
        W = w["W_" + name]                                     # [L, H, d, e]
        w["b_" + name] = w["b_" + name] + np.einsum("ld,lhde->lhe", w["ln1_b"], W)
        w["W_" + name] = W * w["ln1_w"][:, None, :, None]
    w["b_in"] = w["b_in"] + np.einsum("ld,ldm->lm", w["ln2_b"], w["W_in"])
    w["W_in"] = w["W_in"] * w["ln2_w"][:, :, None]
    w["b_U"] = w["b_U"] + w["lnf_b"] @ w["W_U"]
    w["W_U"] = w["W_U"] * w["lnf_w"][:, None]
    for k in ["ln1_w", "ln2_w", "lnf_w"]:
        w[k] = np.ones_like(w[k])
    for k in ["ln1_b", "ln2_b", "lnf_b"]:
        w[k] = np.zeros_like(w[k])
    if center:
        for name in ["W_Q", "W_K", "W_V"]:
            w[name] = w[name] - w[name].mean(axis=2, keepdims=True)
        w["W_in"] = w["W_in"] - w["W_in"].mean(axis=1, keepdims=True)
        w["W_U"] = w["W_U"] - w["W_U"].mean(axis=0, keepdims=True)
    return w


def center_writing_weights(w):
    """Whatever writes to the residual stream minus its mean over d_model."""
    w = {k: v.copy() for k, v in w.items()}
    for k in ["W_E", "W_pos", "W_O", "b_O", "W_out", "b_out"]:
        w[k] = w[k] - w[k].mean(axis=-1, keepdims=True)
    return w


def center_unembed(w):
    w = {k: v.copy() for k, v in w.items()}
    w["W_U"] = w["W_U"] - w["W_U"].mean(axis=1, keepdims=True)
    w["b_U"] = w["b_U"] - w["b_U"].mean()
    return w


def fold_value_biases(w):
    """Pattern rows sum to 1: sum_h b_V^h W_O^h is a constant of each layer, moved into b_O."""
    w = {k: v.copy() for k, v in w.items()}
    w["b_O"] = w["b_O"] + np.einsum("lhe,lhed->ld", w["b_V"], w["W_O"])
    w["b_V"] = np.zeros_like(w["b_V"])
    return w


def process(w, fold=True, writing=True, unembed=True, value_biases=True):
    """In from_pretrained's order; b_O centred again after the value biases join it."""
    if fold:
        w = fold_ln(w, center=True)
    if writing:
        w = center_writing_weights(w)
    if unembed:
        w = center_unembed(w)
    if value_biases:
        w = fold_value_biases(w)
        if writing:
            w["b_O"] = w["b_O"] - w["b_O"].mean(axis=-1, keepdims=True)
    return w


# ---- composition scores, dense ------------------------------------------------------------------


def composition(w, kind):
    out = np.zeros((LAYERS, HEADS, LAYERS, HEADS))
    fro = np.linalg.norm
    for l1 in range(LAYERS):
        for h1 in range(HEADS):
            A = w["W_V"][l1, h1] @ w["W_O"][l1, h1]                 # OV [d, d]
            for l2 in range(l1 + 1, LAYERS):
                for h2 in range(HEADS):
                    if kind == "Q":
                        B = w["W_Q"][l2, h2] @ w["W_K"][l2, h2].T
                    elif kind == "K":
                        B = w["W_K"][l2, h2] @ w["W_Q"][l2, h2].T
                    else:
                        B = w["W_V"][l2, h2] @ w["W_O"][l2, h2]
                    out[l1, h1, l2, h2] = fro(A @ B) / (fro(A) * fro(B))
    return out


def main():
    raw = tn_layout(hf)
    cases = {
        "raw": raw,
        "fold": fold_ln(raw, center=False),
        "fold_center": fold_ln(raw, center=True),
        "value_biases": process(raw, fold=False, writing=False, unembed=False),
        "center_writing": process(raw, fold=False, unembed=False, value_biases=False),
        "center_unembed": process(raw, fold=False, writing=False, value_biases=False),
        "tl": process(raw),
    }
    expected = {}
    logits_raw = forward(raw, TOKENS)
    for case, w in cases.items():
        for k, v in w.items():
            expected[f"{case}__{k}"] = v
        logits = forward(w, TOKENS)
        expected[f"{case}__logits"] = logits
        for kind in "QKV":
            expected[f"{case}__comp_{kind}"] = composition(w, kind)
        shift = logits - logits_raw
        print(f"{case:15s} logits - raw logits: spread over vocab {np.max(shift.max(1) - shift.min(1)):.1e}")
    np.savez(os.path.join(HERE, "gpt2.npz"), **hf)
    np.savez(os.path.join(HERE, "expected.npz"), **expected)
    for kind in "QKV":
        tl, fold = expected[f"tl__comp_{kind}"], expected[f"fold__comp_{kind}"]
        mask = tl > 0
        rel = np.abs(fold - tl)[mask] / tl[mask]
        print(f"{kind}-composition, plain fold vs processed: relative difference {rel.min():.2%} to {rel.max():.2%}")


if __name__ == "__main__":
    main()
