#!/usr/bin/env python3
"""Generates the fixtures of tn's activation-cache test (tn.interp.RunWithCacheTest).

Run from anywhere with python3 and numpy:  python3 make_fixtures.py
The output is checked in; the Java test never runs Python.

An independent float64 reference for run_with_cache, logit_lens and direct_logit_attribution,
written from GPT-2's definition on Hugging Face's tensors (Conv1D weights x @ W, c_attn's columns
split into Q, K, V and then heads), one head and one position at a time, sharing nothing with tn:
the model is ../process/gpt2.npz (2 layers, 3 heads, d_model 12, d_mlp 24, vocab 17, biases,
layer norms, a GELU MLP, an untied unembedding with a bias).

expected.npz holds, in tn's leg order (named after each key):
  embed, pos_embed [pos, d_model]; resid_pre, resid_mid, resid_post, attn_out, mlp_out
  [layer, pos, d_model]; q, k, v, z [layer, pos, head, d_head]; attn_scores, pattern
  [layer, head, pos, key] (scores scaled, before the causal mask: the entries above the diagonal are
  left as computed); result [layer, pos, head, d_model]; mlp_pre, mlp_post [layer, pos, d_mlp];
  ln1_scale, ln2_scale [layer, pos]; lnf_scale [pos] (the factor 1 / sqrt(var + eps) a layer norm
  multiplies by, as tn's freeze keeps it); logits [pos, vocab];
  lens [layer, pos, vocab] (each layer's resid_post through ln_f, its own scale, and the unembedding);
  dla_embed, dla_pos_embed [pos]; dla_heads [layer, head, pos]; dla_attn_bias, dla_mlp [layer, pos];
  dla_constant [pos] (ln_f's shift and b_U along the direction): the logit difference of tokens A
  and B split by component, ln_f's scale fixed at lnf_scale.
"""
import math
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENS = [3, 1, 4, 1, 5, 9, 2]
A, B = 5, 9
HEADS, EPS = 3, 1e-5

hf = dict(np.load(os.path.join(HERE, "..", "process", "gpt2.npz")))
LAYERS = sum(1 for k in hf if k.endswith("ln_1.weight"))
D = hf["wte.weight"].shape[1]
DH = D // HEADS
D_MLP = hf["h.0.mlp.c_fc.weight"].shape[1]
VOCAB = hf["wte.weight"].shape[0]
N = len(TOKENS)


def scale_of(x):
    """One position's layer-norm factor: sqrt(variance + eps)."""
    mu = sum(x) / len(x)
    return math.sqrt(sum((t - mu) ** 2 for t in x) / len(x) + EPS)


def layer_norm(x, w, b):
    s = scale_of(x)
    mu = sum(x) / len(x)
    return np.array([(x[i] - mu) / s * w[i] + b[i] for i in range(len(x))])


def gelu(t):
    return 0.5 * t * (1 + math.tanh(math.sqrt(2 / math.pi) * (t + 0.044715 * t ** 3)))


def run():
    c = {}
    emb = np.array([hf["wte.weight"][t] for t in TOKENS])
    pos = np.array([hf["wpe.weight"][p] for p in range(N)])
    c["embed"], c["pos_embed"] = emb, pos
    x = emb + pos
    keys = ["resid_pre", "resid_mid", "resid_post", "attn_out", "mlp_out", "q", "k", "v", "z", "attn_scores",
            "pattern", "result", "mlp_pre", "mlp_post", "ln1_scale", "ln2_scale"]
    per = {k: [] for k in keys}
    for l in range(LAYERS):
        p = f"h.{l}."
        per["resid_pre"].append(x.copy())
        per["ln1_scale"].append(np.array([1 / scale_of(x[i]) for i in range(N)]))
        h = np.array([layer_norm(x[i], hf[p + "ln_1.weight"], hf[p + "ln_1.bias"]) for i in range(N)])
        qkv = h @ hf[p + "attn.c_attn.weight"] + hf[p + "attn.c_attn.bias"]      # [pos, 3 D]
        q = np.zeros((N, HEADS, DH)); k = np.zeros((N, HEADS, DH)); v = np.zeros((N, HEADS, DH))
        for hd in range(HEADS):
            q[:, hd] = qkv[:, hd * DH:(hd + 1) * DH]
            k[:, hd] = qkv[:, D + hd * DH:D + (hd + 1) * DH]
            v[:, hd] = qkv[:, 2 * D + hd * DH:2 * D + (hd + 1) * DH]
        scores = np.zeros((HEADS, N, N)); pattern = np.zeros((HEADS, N, N))
        z = np.zeros((N, HEADS, DH)); result = np.zeros((N, HEADS, D))
        WO = hf[p + "attn.c_proj.weight"]                                       # rows: head-major d_head
        for hd in range(HEADS):
            for i in range(N):
                for j in range(N):
                    scores[hd, i, j] = float(q[i, hd] @ k[j, hd]) / math.sqrt(DH)
                row = [math.exp(scores[hd, i, j] - max(scores[hd, i, :i + 1])) for j in range(i + 1)]
                for j in range(i + 1):
                    pattern[hd, i, j] = row[j] / sum(row)
                z[i, hd] = sum(pattern[hd, i, j] * v[j, hd] for j in range(i + 1))
                result[i, hd] = z[i, hd] @ WO[hd * DH:(hd + 1) * DH]
        attn_out = result.sum(1) + hf[p + "attn.c_proj.bias"]
        x = x + attn_out
        per["resid_mid"].append(x.copy())
        per["ln2_scale"].append(np.array([1 / scale_of(x[i]) for i in range(N)]))
        h2 = np.array([layer_norm(x[i], hf[p + "ln_2.weight"], hf[p + "ln_2.bias"]) for i in range(N)])
        pre = h2 @ hf[p + "mlp.c_fc.weight"] + hf[p + "mlp.c_fc.bias"]
        post = np.vectorize(gelu)(pre)
        mlp_out = post @ hf[p + "mlp.c_proj.weight"] + hf[p + "mlp.c_proj.bias"]
        x = x + mlp_out
        per["resid_post"].append(x.copy())
        for name, val in [("attn_out", attn_out), ("mlp_out", mlp_out), ("q", q), ("k", k), ("v", v), ("z", z),
                          ("attn_scores", scores), ("pattern", pattern), ("result", result), ("mlp_pre", pre),
                          ("mlp_post", post)]:
            per[name].append(val)
    for name, vals in per.items():
        c[name] = np.stack(vals)
    c["lnf_scale"] = np.array([1 / scale_of(x[i]) for i in range(N)])
    WU, bU = hf["lm_head.weight"], hf["lm_head.bias"]                             # [vocab, D], [vocab]

    def unembed(r):
        return np.array([layer_norm(r[i], hf["ln_f.weight"], hf["ln_f.bias"]) for i in range(N)]) @ WU.T + bU

    c["logits"] = unembed(x)
    c["lens"] = np.stack([unembed(c["resid_post"][l]) for l in range(LAYERS)])

    # Direct logit attribution of logit[A] - logit[B]: each component's write, centred over d_model,
    # times the final residual's own layer-norm factor, through ln_f's scale and W_U[A] - W_U[B].
    d = WU[A] - WU[B]
    s = c["lnf_scale"]

    def along(w):                                                             # w [..., pos, d_model]
        centred = w - w.mean(-1, keepdims=True)
        return (centred * hf["ln_f.weight"]) @ d * s

    c["dla_embed"] = along(emb)
    c["dla_pos_embed"] = along(pos)
    c["dla_heads"] = along(c["result"].transpose(0, 2, 1, 3))                   # [layer, head, pos]
    c["dla_attn_bias"] = np.stack([along(np.tile(hf[f"h.{l}.attn.c_proj.bias"], (N, 1))) for l in range(LAYERS)])
    c["dla_mlp"] = along(c["mlp_out"])
    c["dla_constant"] = np.full(N, hf["ln_f.bias"] @ d + bU[A] - bU[B])
    total = (c["dla_embed"] + c["dla_pos_embed"] + c["dla_heads"].sum((0, 1)) + c["dla_attn_bias"].sum(0)
             + c["dla_mlp"].sum(0) + c["dla_constant"])
    diff = c["logits"][:, A] - c["logits"][:, B]
    print(f"sum of the attributions - logit difference: {np.abs(total - diff).max():.1e}")
    assert np.abs(total - diff).max() < 1e-12
    # The layer-0 lens through numpy's vectorised layer norm, a check on the loops above.
    r = c["resid_post"][0]
    ln = (r - r.mean(-1, keepdims=True)) / np.sqrt(r.var(-1, keepdims=True) + EPS) * hf["ln_f.weight"] + hf["ln_f.bias"]
    assert np.abs(ln @ WU.T + bU - c["lens"][0]).max() < 1e-12
    return c


def check_against_hugging_face(c):
    """Where torch and transformers are installed, the reference's residual streams, patterns and
    logits against Hugging Face's GPT2LMHeadModel on the same weights (its lm_head has no bias, so
    b_U is added here); otherwise says so."""
    try:
        import torch
        from transformers import GPT2Config, GPT2LMHeadModel
    except ImportError:
        print("torch/transformers not installed: the reference is not checked against Hugging Face")
        return
    cfg = GPT2Config(vocab_size=VOCAB, n_positions=hf["wpe.weight"].shape[0], n_embd=D, n_layer=LAYERS, n_head=HEADS,
                     n_inner=D_MLP, activation_function="gelu_new", layer_norm_epsilon=EPS, tie_word_embeddings=False,
                     resid_pdrop=0, embd_pdrop=0, attn_pdrop=0, attn_implementation="eager",
                     bos_token_id=0, eos_token_id=0)
    model = GPT2LMHeadModel(cfg).double().eval()
    state = {"transformer." + k: torch.tensor(v) for k, v in hf.items() if not k.startswith("lm_head")}
    state["lm_head.weight"] = torch.tensor(hf["lm_head.weight"])
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(k.endswith("attn.bias") or k.endswith("masked_bias") for k in missing), (missing, unexpected)
    with torch.no_grad():
        out = model(torch.tensor([TOKENS]), output_hidden_states=True, output_attentions=True)
    hs = [h[0].numpy() for h in out.hidden_states]
    worst = max(np.abs(hs[l] - c["resid_pre"][l]).max() for l in range(LAYERS))
    worst = max(worst, max(np.abs(out.attentions[l][0].numpy() - c["pattern"][l]).max() for l in range(LAYERS)))
    worst = max(worst, np.abs(out.logits[0].numpy() + hf["lm_head.bias"] - c["logits"]).max())
    print(f"reference vs Hugging Face GPT2LMHeadModel (float64): residuals, patterns, logits within {worst:.1e}")
    assert worst < 1e-12


if __name__ == "__main__":
    c = run()
    check_against_hugging_face(c)
    np.savez(os.path.join(HERE, "expected.npz"), **c)
    print({k: v.shape for k, v in c.items()})
