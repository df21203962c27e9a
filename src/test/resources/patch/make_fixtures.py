#!/usr/bin/env python3
"""Generates the fixtures of tn's ablation and activation-patching test (tn.interp.InterventionsTest).

Run from anywhere with python3 and numpy:  python3 make_fixtures.py
The output is checked in; the Java test never runs Python.

An independent float64 reference for ablate and activation_patching (stdlib/transformer.tn),
written from GPT-2's definition on Hugging Face's tensors (Conv1D weights x @ W, c_attn's columns
split into Q, K, V and then heads), one head and one position at a time, with hooks that replace an
activation as TransformerLens's hooks do, sharing nothing with tn: the model is ../process/gpt2.npz
(2 layers, 3 heads, d_model 12, d_mlp 24, vocab 17, biases, layer norms, a GELU MLP, an untied
unembedding with a bias).

A hook is a dict {(name, layer): f}, f(activation) -> replacement, where name is one of
  "resid_pre" [pos, d_model] (layer n_layers: the final stream, before ln_f),
  "result" [pos, head, d_model] (each head's z W_O), "attn_out", "mlp_out" [pos, d_model],
  "mlp_post" [pos, d_mlp].

expected.npz holds, in tn's leg order:
  abl_<case> [pos, vocab]: the logits of CLEAN with one component ablated (CASES below);
  patch_resid [layer, pos], patch_heads [layer, head]: (patched - corrupted) / (clean - corrupted)
  of the logit difference logit[A] - logit[B] at the last position, when the corrupted run gets the
  clean run's resid_pre at one (layer, position), or one head's output at every position;
  metric_clean, metric_corrupted [].
  batch_logits [batch, pos, vocab]: the logits of each prompt of BATCHED, run separately;
  batch_mean_<site> [batch, pos, vocab]: each prompt of BATCHED with the site replaced by its mean
  over the batch at each position (TransformerLens's mean ablation of a [batch, pos] run).
"""
import math
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CLEAN = [3, 1, 4, 1, 5, 9, 2]
CORRUPTED = [3, 1, 7, 1, 5, 9, 2]
OTHER = [2, 7, 1, 8, 2, 8, 1]          # a resample prompt, as long as CLEAN
OTHER2 = [6, 0, 11, 3, 3, 12, 16]
BATCH = [[2, 7, 1, 8], [16, 15, 14]]   # a mean-ablation reference batch (any lengths)
BATCHED = [CLEAN, OTHER, OTHER2]       # a batch run at once (one length)
DIRECTION_TOKEN = 7                   # the direction ablated: wte[7], normalised
A, B = 5, 9
HEADS, EPS = 3, 1e-5

hf = dict(np.load(os.path.join(HERE, "..", "process", "gpt2.npz")))
LAYERS = sum(1 for k in hf if k.endswith("ln_1.weight"))
D = hf["wte.weight"].shape[1]
DH = D // HEADS


def layer_norm(x, w, b):
    mu = sum(x) / len(x)
    s = math.sqrt(sum((t - mu) ** 2 for t in x) / len(x) + EPS)
    return np.array([(x[i] - mu) / s * w[i] + b[i] for i in range(len(x))])


def gelu(t):
    return 0.5 * t * (1 + math.tanh(math.sqrt(2 / math.pi) * (t + 0.044715 * t ** 3)))


def run(tokens, hooks=None, record=None):
    """The logits [pos, vocab] of tokens; hooks replace activations; record (a dict) receives every
    hooked activation as it was computed (before any replacement)."""
    hooks = hooks or {}
    record = record if record is not None else {}
    n = len(tokens)

    def hook(name, l, x):
        record[(name, l)] = x.copy()
        return hooks[(name, l)](x.copy()) if (name, l) in hooks else x

    x = np.array([hf["wte.weight"][t] + hf["wpe.weight"][p] for p, t in enumerate(tokens)])
    for l in range(LAYERS):
        p = f"h.{l}."
        x = hook("resid_pre", l, x)
        h = np.array([layer_norm(x[i], hf[p + "ln_1.weight"], hf[p + "ln_1.bias"]) for i in range(n)])
        qkv = h @ hf[p + "attn.c_attn.weight"] + hf[p + "attn.c_attn.bias"]
        WO = hf[p + "attn.c_proj.weight"]
        result = np.zeros((n, HEADS, D))
        for hd in range(HEADS):
            q = qkv[:, hd * DH:(hd + 1) * DH]
            k = qkv[:, D + hd * DH:D + (hd + 1) * DH]
            v = qkv[:, 2 * D + hd * DH:2 * D + (hd + 1) * DH]
            for i in range(n):
                s = [float(q[i] @ k[j]) / math.sqrt(DH) for j in range(i + 1)]
                w = [math.exp(t - max(s)) for t in s]
                z = sum(w[j] / sum(w) * v[j] for j in range(i + 1))
                result[i, hd] = z @ WO[hd * DH:(hd + 1) * DH]
        result = hook("result", l, result)
        attn_out = hook("attn_out", l, result.sum(1) + hf[p + "attn.c_proj.bias"])
        x = x + attn_out
        h2 = np.array([layer_norm(x[i], hf[p + "ln_2.weight"], hf[p + "ln_2.bias"]) for i in range(n)])
        post = np.vectorize(gelu)(h2 @ hf[p + "mlp.c_fc.weight"] + hf[p + "mlp.c_fc.bias"])
        post = hook("mlp_post", l, post)
        mlp_out = hook("mlp_out", l, post @ hf[p + "mlp.c_proj.weight"] + hf[p + "mlp.c_proj.bias"])
        x = x + mlp_out
    x = hook("resid_pre", LAYERS, x)
    f = np.array([layer_norm(x[i], hf["ln_f.weight"], hf["ln_f.bias"]) for i in range(n)])
    return f @ hf["lm_head.weight"].T + hf["lm_head.bias"]


def acts(tokens):
    r = {}
    run(tokens, record=r)
    return r


UNIT = hf["wte.weight"][DIRECTION_TOKEN] / np.linalg.norm(hf["wte.weight"][DIRECTION_TOKEN])

# An ablation site: (hook name, layer, select(activation) -> the part replaced [pos, ...],
# put(activation, value) -> the activation with that part replaced).
SITES = {
    "head": ("result", 1, lambda a: a[:, 2], lambda a, v: np.concatenate([a[:, :2], v[:, None]], 1)),
    "attn": ("attn_out", 0, lambda a: a, lambda a, v: v),
    "mlp": ("mlp_out", 1, lambda a: a, lambda a, v: v),
    "neuron": ("mlp_post", 0, lambda a: a[:, 5], lambda a, v: np.concatenate([a[:, :5], v[:, None], a[:, 6:]], 1)),
    "direction": ("resid_pre", 1, lambda a: a @ UNIT, lambda a, v: a + np.outer(v - a @ UNIT, UNIT)),
    "direction_final": ("resid_pre", LAYERS, lambda a: a @ UNIT, lambda a, v: a + np.outer(v - a @ UNIT, UNIT)),
}


def ablated(site, how, ref=None):
    name, l, select, put = SITES[site]
    n = len(CLEAN)
    if how == "zero":
        return run(CLEAN, {(name, l): lambda a: put(a, 0 * select(a))})
    if how == "mean":
        prompts = ref or [CLEAN]
        vals = np.concatenate([select(acts(t)[(name, l)]) for t in prompts])   # every position of every prompt
        mu = vals.mean(0)
        return run(CLEAN, {(name, l): lambda a: put(a, np.stack([mu] * n))})
    runs = [run(CLEAN, {(name, l): lambda a, t=t: put(a, select(acts(t)[(name, l)]))}) for t in ref]
    return sum(runs) / len(runs)


CASES = {
    "head_zero": ("head", "zero", None), "head_mean": ("head", "mean", None), "head_mean_batch": ("head", "mean", BATCH),
    "head_resample": ("head", "resample", [OTHER]), "head_resample2": ("head", "resample", [OTHER, OTHER2]),
    "attn_zero": ("attn", "zero", None), "attn_mean": ("attn", "mean", None), "attn_resample": ("attn", "resample", [OTHER]),
    "mlp_zero": ("mlp", "zero", None), "mlp_mean_batch": ("mlp", "mean", BATCH), "mlp_resample": ("mlp", "resample", [OTHER]),
    "neuron_zero": ("neuron", "zero", None), "neuron_mean": ("neuron", "mean", None),
    "neuron_mean_batch": ("neuron", "mean", BATCH), "neuron_resample": ("neuron", "resample", [OTHER]),
    "direction_zero": ("direction", "zero", None), "direction_mean": ("direction", "mean", None),
    "direction_resample": ("direction", "resample", [OTHER]), "direction_final_zero": ("direction_final", "zero", None),
    "direction_final_mean_batch": ("direction_final", "mean", BATCH),
}


def batch_mean(site):
    """Each prompt of BATCHED with the site's activation replaced, at each position, by its mean over the batch."""
    name, l, select, put = SITES[site]
    mu = np.mean([select(acts(t)[(name, l)]) for t in BATCHED], 0)   # [pos, ...]
    return np.stack([run(t, {(name, l): lambda a: put(a, mu.copy())}) for t in BATCHED])


def metric(logits):
    return logits[-1, A] - logits[-1, B]


def patching():
    clean, corrupted = acts(CLEAN), acts(CORRUPTED)
    mc, mk = metric(run(CLEAN)), metric(run(CORRUPTED))
    n = len(CLEAN)
    resid = np.zeros((LAYERS, n))
    heads = np.zeros((LAYERS, HEADS))
    for l in range(LAYERS):
        for p in range(n):
            def put(a, l=l, p=p):
                a[p] = clean[("resid_pre", l)][p]
                return a
            resid[l, p] = (metric(run(CORRUPTED, {("resid_pre", l): put})) - mk) / (mc - mk)
        for h in range(HEADS):
            def put(a, l=l, h=h):
                a[:, h] = clean[("result", l)][:, h]
                return a
            heads[l, h] = (metric(run(CORRUPTED, {("result", l): put})) - mk) / (mc - mk)
    return mc, mk, resid, heads


if __name__ == "__main__":
    out = {}
    base = run(CLEAN)
    for key, (site, how, ref) in CASES.items():
        out["abl_" + key] = ablated(site, how, ref)
        print(f"{key:28s} max |ablated - clean logits| = {np.abs(out['abl_' + key] - base).max():.3f}")
    # A check on the hooks: resampling from the clean prompt itself changes nothing.
    assert np.abs(ablated("head", "resample", [CLEAN]) - base).max() < 1e-12
    mc, mk, resid, heads = patching()
    # Checks on the hooks: the prompts differ only at position 2, so patching layer 0's stream there
    # gives the clean run (1), and before it the streams are the same (0).
    assert abs(resid[0, 2] - 1) < 1e-12 and np.abs(resid[:, :2]).max() < 1e-12
    out.update(metric_clean=np.array(mc), metric_corrupted=np.array(mk), patch_resid=resid, patch_heads=heads)
    print(f"metric clean {mc:.6f}, corrupted {mk:.6f}")
    print("patch_resid [layer, pos]:\n", np.round(resid, 4))
    print("patch_heads [layer, head]:\n", np.round(heads, 4))
    out["batch_logits"] = np.stack([run(t) for t in BATCHED])
    for site in SITES:
        out["batch_mean_" + site] = batch_mean(site)
        # A check on the hooks: the batch mean is not any one prompt's value.
        assert np.abs(out["batch_mean_" + site] - out["batch_logits"]).max() > 1e-6
    np.savez(os.path.join(HERE, "expected.npz"), **out)
