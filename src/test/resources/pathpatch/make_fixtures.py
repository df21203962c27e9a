#!/usr/bin/env python3
"""Generates the fixtures of tn's path-patching test (tn.interp.PathPatchingTest).

Run from anywhere with python3 and numpy:  python3 make_fixtures.py
The output is checked in; the Java test never runs Python.

An independent float64 reference for the named path terms of expand() on a GPT-2 and for
path_patch (stdlib/transformer.tn), written from the definition in docs/language.md (Path
expansion) on Hugging Face's tensors, sharing nothing with tn. The model is ../process/gpt2.npz
(2 layers, 3 heads, d_model 12, d_mlp 24, vocab 17, biases, layer norms, a GELU MLP, an untied
unembedding with a bias).

The metric is the logit difference logit[A] - logit[B] at the last position. Each layer norm's
factor s = 1 / sqrt(var + eps) is fixed per position at its value on the prompt (freeze(m, ids,
patterns=False)); a layer norm is then lin(x) = (x - mean(x)) s w, plus its shift b. The sources
entering layer 1 are, in this order,
  direct (token + position embedding), L0H0, L0H1, L0H2 (each head's output without biases),
  b_O0 (b_O + sum over heads of (b_V + ln1_b W_V) W_O), MLP0 (layer 0's MLP output on the run).
A term of head h of layer 1 has a source for each of its Q, K and V inputs; its pattern is the
mixed difference of the softmax over the cumulative inputs C(i) = source_0 + ... + source_i of the
slots whose source is not direct (C(i) minus C(i - 1)), the others at C(i); its value is that
pattern applied to lin1(source_V) W_V, then W_O, read through the final layer norm's linear part and
W_U along the metric. b_O1 and MLP1 reach the logits directly; b_U is b_U plus ln_f's shift through
W_U. The script checks that the 657 terms add up to the metric exactly.

expected.npz holds, for each prompt P in (clean, corrupted):
  metric_P []: the metric on P;
  term_P [len(TERMS)]: the value of each term of TERMS on P;
and patched [len(TERMS)]: the corrupted metric with that term replaced by its clean value,
  score [len(TERMS)]: (patched - corrupted) / (clean - corrupted).
"""
import itertools
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CLEAN = [3, 1, 4, 1, 5, 9, 2]
CORRUPTED = [3, 1, 7, 1, 5, 9, 2]
A, B = 5, 9
HEADS, EPS = 3, 1e-5
TERMS = ["direct", "L0H2", "b_O0", "MLP0", "L1H0", "L1H1<-V-L0H0", "L1H0<-K-L0H2", "L1H2<-Q-MLP0",
         "L1H2<-{K-L0H1, V-L0H1}", "L1H1<-{Q-L0H0, K-b_O0, V-MLP0}", "b_O1", "MLP1", "b_U"]

hf = dict(np.load(os.path.join(HERE, "..", "process", "gpt2.npz")))
D = hf["wte.weight"].shape[1]
DH = D // HEADS


def factor(x):
    """Each position's layer-norm factor 1 / sqrt(var + eps) [pos]."""
    c = x - x.mean(1, keepdims=True)
    return 1 / np.sqrt((c ** 2).mean(1) + EPS)


def lin(x, s, w):
    """A layer norm's linear part with its factor fixed: (x - mean x) s w."""
    return (x - x.mean(1, keepdims=True)) * s[:, None] * w[None, :]


def gelu(t):
    return 0.5 * t * (1 + np.tanh(np.sqrt(2 / np.pi) * (t + 0.044715 * t ** 3)))


def weights(l, h):
    p = f"h.{l}.attn."
    W, b = hf[p + "c_attn.weight"], hf[p + "c_attn.bias"]
    cols = [slice(j * D + h * DH, j * D + (h + 1) * DH) for j in range(3)]
    return [W[:, c] for c in cols], [b[c] for c in cols], hf[p + "c_proj.weight"][h * DH:(h + 1) * DH]


def pattern(l, h, xq, xk):
    """Head h's pattern [pos, key] with queries read from xq and keys from xk (layer norm applied)."""
    (WQ, WK, _), (bQ, bK, _), _ = weights(l, h)
    S = (xq @ WQ + bQ) @ (xk @ WK + bK).T / np.sqrt(DH)
    n = len(S)
    S = np.where(np.tril(np.ones((n, n))) > 0, S, -np.inf)
    E = np.exp(S - S.max(1, keepdims=True))
    return E / E.sum(1, keepdims=True)


def paths(tokens):
    """(metric, {term name: value}) on tokens: every term of the expansion along the metric."""
    n = len(tokens)
    ln = lambda l, k: (hf[f"h.{l}.ln_{k}.weight"], hf[f"h.{l}.ln_{k}.bias"])
    x = hf["wte.weight"][tokens] + hf["wpe.weight"][:n]
    sources = [("direct", x.copy())]
    s1, out = [], {}
    for l in range(2):
        w1, b1 = ln(l, 1)
        s1.append(factor(x))
        a = lin(x, s1[l], w1) + b1
        heads = []
        for h in range(HEADS):
            (_, _, WV), (_, _, bV), WO = weights(l, h)
            heads.append(pattern(l, h, a, a) @ (a @ WV + bV) @ WO)
        attn = sum(heads) + hf[f"h.{l}.attn.c_proj.bias"]
        bias = hf[f"h.{l}.attn.c_proj.bias"] + sum((weights(l, h)[1][2] + b1 @ weights(l, h)[0][2]) @ weights(l, h)[2]
                                                    for h in range(HEADS))
        x = x + attn
        w2, b2 = ln(l, 2)
        mlp = gelu(lin(x, factor(x), w2) @ hf[f"h.{l}.mlp.c_fc.weight"] + b2 @ hf[f"h.{l}.mlp.c_fc.weight"]
                   + hf[f"h.{l}.mlp.c_fc.bias"]) @ hf[f"h.{l}.mlp.c_proj.weight"] + hf[f"h.{l}.mlp.c_proj.bias"]
        x = x + mlp
        if l == 0:
            # Layer 0's heads read the embedding only: one term each.
            for h in range(HEADS):
                (_, _, WV), _, WO = weights(0, h)
                a0 = lin(sources[0][1], s1[0], w1)
                sources.append((f"L0H{h}", pattern(0, h, a0 + b1, a0 + b1) @ (a0 @ WV) @ WO))
            sources.append(("b_O0", np.tile(bias, (n, 1))))
            sources.append(("MLP0", mlp))
        else:
            layer1 = {"b_O1": np.tile(bias, (n, 1)), "MLP1": mlp}
    sf = factor(x)
    u = hf["lm_head.weight"][A] - hf["lm_head.weight"][B]
    read = lambda y: float(lin(y, sf, hf["ln_f.weight"])[n - 1] @ u)
    metric = float((lin(x, sf, hf["ln_f.weight"]) + hf["ln_f.bias"])[n - 1] @ u + hf["lm_head.bias"][A] - hf["lm_head.bias"][B])
    for name, y in sources:
        out[name] = read(y)
    # Layer 1's heads: one term per source of each of Q, K, V.
    w1, b1 = ln(1, 1)
    cum = np.cumsum(np.stack([y for _, y in sources]), 0)
    for h in range(HEADS):
        (_, _, WV), _, WO = weights(1, h)
        for cq, ck, cv in itertools.product(range(len(sources)), repeat=3):
            moving = [j for j, c in enumerate((cq, ck)) if c > 0]
            P = 0
            for lower in itertools.product((0, 1), repeat=len(moving)):
                at = [cq, ck]
                for j, down in zip(moving, lower):
                    at[j] -= down
                sign = (-1) ** sum(lower)
                P = P + sign * pattern(1, h, lin(cum[at[0]], s1[1], w1) + b1, lin(cum[at[1]], s1[1], w1) + b1)
            value = read(P @ (lin(sources[cv][1], s1[1], w1) @ WV) @ WO)
            pieces = [f"{slot}-{sources[c][0]}" for slot, c in (("Q", cq), ("K", ck), ("V", cv)) if c > 0]
            suffix = "" if not pieces else "<-" + pieces[0] if len(pieces) == 1 else "<-{" + ", ".join(pieces) + "}"
            out[f"L1H{h}" + suffix] = value
    for name, y in layer1.items():
        out[name] = read(y)
    out["b_U"] = float((hf["ln_f.bias"] @ hf["lm_head.weight"].T + hf["lm_head.bias"]) @ (np.eye(17)[A] - np.eye(17)[B]))
    assert len(out) == 657, len(out)
    total = sum(out.values())
    assert abs(total - metric) < 1e-12 * max(1, abs(metric)), (total, metric)
    return metric, out


if __name__ == "__main__":
    mc, tc = paths(CLEAN)
    mk, tk = paths(CORRUPTED)
    clean = np.array([tc[t] for t in TERMS])
    corrupted = np.array([tk[t] for t in TERMS])
    patched = mk - corrupted + clean
    # Patching every term gives the clean metric.
    assert abs(mk + sum(tc[t] - tk[t] for t in tc) - mc) < 1e-12
    out = dict(metric_clean=np.array(mc), metric_corrupted=np.array(mk), term_clean=clean, term_corrupted=corrupted,
               patched=patched, score=(patched - mk) / (mc - mk))
    print(f"metric clean {mc:.6f}, corrupted {mk:.6f}")
    for k, t in enumerate(TERMS):
        print(f"{t:34s} clean {clean[k]: .6f} corrupted {corrupted[k]: .6f} score {out['score'][k]: .6f}")
    np.savez(os.path.join(HERE, "expected.npz"), **out)
