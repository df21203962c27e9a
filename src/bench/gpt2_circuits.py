#!/usr/bin/env python3
"""Circuit tools on a GPT-2-small-shaped model: tn against TransformerLens's algorithms in torch, side by side.

    python3 src/bench/gpt2_circuits.py [--threads 2] [--tokens 64] [--dir target/bench/gpt2_load]
                                       [--layers 12 --d-model 768 --heads 12 --vocab 50257 --context 1024]

Uses (or writes) the model of gpt2_load.py (random weights from a fixed seed, Hugging Face's names
and layout, float32). Times, in one tn REPL session (`:time`, each operation twice, the second
reported: the first also loads classes and fills caches) and in one Python process:
  - fold_layernorm(m): TransformerLens's fold_ln (without centring): ln weights into W_Q/W_K/W_V,
    W_in, W_U, their shifts into the biases;
  - freeze(m, ids): the attention patterns and layer-norm factors on TOKENS tokens, computed layer
    by layer (TransformerLens: run_with_cache filtered to the patterns and ln scales; here a
    forward pass that keeps them);
  - composition(m, "K"): all 144 x 144 K-composition scores ||W_OV W_QK^T|| / (||W_OV|| ||W_QK||)
    (TransformerLens: all_composition_scores("K"), norms of FactoredMatrix products through SVDs);
  - directions(ov_circuit(m, 0, 0)): the top singular directions of W_E W_V W_O W_U [vocab, vocab]
    (TransformerLens: (W_E @ OV[0, 0] @ W_U).svd() of the FactoredMatrix);
  - svdvals(qk_circuit(m, 0, 0)): singular values of W_E W_Q W_K^T W_E^T [vocab, vocab]
    (TransformerLens: (W_E @ QK[0, 0] @ W_E.T).S).

TransformerLens itself is not installable from this machine's package mirror, so its algorithms
(FactoredMatrix's SVD by the factors' SVDs, the broadcast composition scores, fold_layer_norm) are
written out here in torch, on the same weights, as TransformerLens runs them (torch on the CPU,
THREADS threads). This is a yardstick for speed, and a check that both give the same numbers
(printed side by side: composition scores, singular values, folded weights' sums). Skipped with a
message without torch.
"""
import argparse
import math
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt2_load import ROOT, add_model_arguments, write_model_in_child  # noqa: E402


def tn_session(path, ids):
    """The REPL input: each operation timed twice, then the values compared with torch's."""
    lines = ["import transformer", f'm = load_gpt2("{path}")', f"ids = [{', '.join(map(str, ids))}]"]
    ops = {
        "fold_layernorm": "fold_layernorm(m)",
        "freeze": "freeze(m, ids)",
        "composition": 'composition(m, "K")',
        "directions": "directions(ov_circuit(m, 0, 0), top=1, n=4)",
        "svdvals": "svdvals(qk_circuit(m, 0, 0), bond=r)",
    }
    for name, expr in ops.items():
        for _ in range(2):
            lines.append(f'print("@op {name}")')
            lines.append(f":time {expr}")
    lines += [
        'c = composition(m, "K")',
        'print("@value c01")', "print(pick(c, layer=0, head=0, layer'=1, head'=0))",
        'print("@value c_sum")', "print(sum(c))",
        "s = svdvals(qk_circuit(m, 0, 0), bond=r)",
        'print("@value s0")', "print(pick(s, r=0))",
        'print("@value s1")', "print(pick(s, r=1))",
        "g = fold_layernorm(m)",
        'print("@value WQ_sum")', "print(sum(g.W_Q))",
        'print("@value bQ_sum")', "print(sum(g.b_Q))",
    ]
    return "\n".join(lines) + "\n"


def parse_tn(out):
    times, values, op, value = {}, {}, None, None
    for line in out.splitlines():
        if value:
            values[value] = float(line)
            value = None
        elif line.startswith("@op "):
            op = line[4:].strip()
        elif line.startswith("time: ") and op:
            m = re.match(r"time: ([0-9.]+) (ms|s|us)", line)
            scale = {"ms": 1e-3, "s": 1.0, "us": 1e-6}[m.group(2)]
            times.setdefault(op, []).append(float(m.group(1)) * scale)
        elif line.startswith("@value "):
            value = line[len("@value "):].strip()
    return times, values


def torch_side(path, a, ids):
    import torch
    from safetensors.torch import load_file

    torch.set_num_threads(a.threads)
    w = load_file(path)
    L, d, H = a.layers, a.d_model, a.heads
    dh = d // H
    g = lambda k: w["transformer." + k]
    W_E = g("wte.weight")
    W_U = W_E.T
    W_pos = g("wpe.weight")

    def split(l, part):
        c = g(f"h.{l}.attn.c_attn.weight")[:, part * d:(part + 1) * d]
        return c.reshape(d, H, dh).permute(1, 0, 2)

    W_Q = torch.stack([split(l, 0) for l in range(L)])
    W_K = torch.stack([split(l, 1) for l in range(L)])
    W_V = torch.stack([split(l, 2) for l in range(L)])
    b_Q = torch.stack([g(f"h.{l}.attn.c_attn.bias")[:d].reshape(H, dh) for l in range(L)])
    W_O = torch.stack([g(f"h.{l}.attn.c_proj.weight").reshape(H, dh, d) for l in range(L)])
    ln1_w = torch.stack([g(f"h.{l}.ln_1.weight") for l in range(L)])
    ln1_b = torch.stack([g(f"h.{l}.ln_1.bias") for l in range(L)])
    t = {}

    def timed(name, fn):
        out = None
        for _ in range(2):
            start = time.perf_counter()
            out = fn()
            t.setdefault(name, []).append(time.perf_counter() - start)
        return out

    def fold():
        # TransformerLens's fold_layer_norm (fold_biases, no centring), for attention, MLP and unembedding.
        out = {}
        for name, W in (("W_Q", W_Q), ("W_K", W_K), ("W_V", W_V)):
            out["b" + name[1:]] = (W * ln1_b[:, None, :, None]).sum(-2)
            out[name] = W * ln1_w[:, None, :, None]
        ln2_w = torch.stack([g(f"h.{l}.ln_2.weight") for l in range(L)])
        ln2_b = torch.stack([g(f"h.{l}.ln_2.bias") for l in range(L)])
        W_in = torch.stack([g(f"h.{l}.mlp.c_fc.weight") for l in range(L)])
        out["b_in"] = (W_in * ln2_b[:, :, None]).sum(-2)
        out["W_in"] = W_in * ln2_w[:, :, None]
        out["b_U"] = (W_U * g("ln_f.bias")[:, None]).sum(-2)
        out["W_U"] = W_U * g("ln_f.weight")[:, None]
        out["b_Q"] = out["b_Q"] + b_Q
        return out

    def svd_S(A, B):
        # FactoredMatrix.svd(): the factors' SVDs, then the SVD of the small middle.
        Ua, Sa, Va = torch.svd(A)
        Ub, Sb, Vb = torch.svd(B)
        middle = Sa[..., :, None] * (Va.transpose(-2, -1) @ Ub) * Sb[..., None, :]
        Um, Sm, Vm = torch.svd(middle)
        return Ua @ Um, Sm, Vb @ Vm

    def fnorm(A, B):
        return svd_S(A, B)[1].pow(2).sum(-1).sqrt()

    def composition():
        # all_composition_scores("K"): left = OV (A = W_V, B = W_O), right = QK.T (A = W_K, B = W_Q^T),
        # r_AB = left @ right as a FactoredMatrix (A = W_V, B = W_O W_K W_Q^T), norms through SVDs. One
        # left head at a time against all right heads (the whole broadcast would need 4 GB).
        right_A, right_B = W_K.reshape(L * H, d, dh), W_Q.reshape(L * H, d, dh).transpose(-2, -1)
        right_norm = fnorm(right_A, right_B)
        scores = torch.zeros(L, H, L, H)
        for l in range(L):
            for h in range(H):
                A, B = W_V[l, h], W_O[l, h]
                middle = B @ right_A  # [L*H, dh, dh]
                prod_B = middle @ right_B  # [L*H, dh, d]
                r = fnorm(A.expand(L * H, d, dh), prod_B) / (fnorm(A, B) * right_norm)
                scores[l, h] = r.reshape(L, H)
        mask = torch.arange(L)[:, None, None, None] < torch.arange(L)[None, None, :, None]
        return torch.where(mask, scores, torch.zeros(()))

    def forward_cache():
        # run_with_cache filtered to patterns and ln scales: a GPT-2 forward that keeps them.
        x = W_E[ids] + W_pos[: len(ids)]
        pats, scales = [], []
        n = len(ids)
        mask = torch.triu(torch.ones(n, n, dtype=torch.bool), 1)
        for l in range(L):
            mu = x.mean(-1, keepdim=True)
            s = ((x - mu).pow(2).mean(-1, keepdim=True) + 1e-5).rsqrt()
            scales.append(s)
            a = (x - mu) * s * ln1_w[l] + ln1_b[l]
            qkv = a @ g(f"h.{l}.attn.c_attn.weight") + g(f"h.{l}.attn.c_attn.bias")
            q, k, v = (z.reshape(n, H, dh).transpose(0, 1) for z in qkv.split(d, -1))
            sc = (q @ k.transpose(-2, -1)) / math.sqrt(dh)
            p = sc.masked_fill(mask, float("-inf")).softmax(-1)
            pats.append(p)
            z = (p @ v).transpose(0, 1).reshape(n, d)
            x = x + z @ g(f"h.{l}.attn.c_proj.weight") + g(f"h.{l}.attn.c_proj.bias")
            mu = x.mean(-1, keepdim=True)
            s = ((x - mu).pow(2).mean(-1, keepdim=True) + 1e-5).rsqrt()
            scales.append(s)
            a = (x - mu) * s * g(f"h.{l}.ln_2.weight") + g(f"h.{l}.ln_2.bias")
            h_ = torch.nn.functional.gelu(a @ g(f"h.{l}.mlp.c_fc.weight") + g(f"h.{l}.mlp.c_fc.bias"), approximate="tanh")
            x = x + h_ @ g(f"h.{l}.mlp.c_proj.weight") + g(f"h.{l}.mlp.c_proj.bias")
        return pats, scales

    with torch.no_grad():
        folded = timed("fold_layernorm", fold)
        timed("freeze", forward_cache)
        c = timed("composition", composition)
        timed("directions", lambda: svd_S(W_E @ W_V[0, 0], W_O[0, 0] @ W_U))
        s = timed("svdvals", lambda: svd_S(W_E @ W_Q[0, 0], W_K[0, 0].T @ W_E.T)[1])
    values = {"c01": float(c[0, 0, 1, 0]), "c_sum": float(c.sum()), "s0": float(s[0]), "s1": float(s[1]),
              "WQ_sum": float(folded["W_Q"].sum()), "bQ_sum": float(folded["b_Q"].sum())}
    return t, values


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_model_arguments(ap)
    ap.add_argument("--dir", default=os.path.join(ROOT, "target", "bench", "gpt2_load"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--tokens", type=int, default=64)
    a = ap.parse_args()
    directory = os.path.abspath(a.dir)
    write_model_in_child(directory, a, "F32")
    path = os.path.join(directory, "model.safetensors")
    ids = [(7 * i + 3) % a.vocab for i in range(a.tokens)]
    print(f"model: {a.layers} layers, d_model {a.d_model}, {a.heads} heads, vocab {a.vocab}; {a.threads} threads; {directory}")
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads), OPENBLAS_NUM_THREADS=str(a.threads))
    p = subprocess.run([os.path.join(ROOT, "tn"), "repl"], input=tn_session(path, ids), capture_output=True, text=True, env=env)
    tn_t, tn_v = parse_tn(p.stdout)
    if p.returncode != 0 or len(tn_t) < 5:
        sys.exit(f"tn repl failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    try:
        import torch  # noqa: F401
        import safetensors  # noqa: F401
    except ImportError:
        print("torch or safetensors is not installed: tn's figures only")
        for k, v in tn_t.items():
            print(f"  {k:15s} tn {v[-1]:7.3f} s")
        return
    ref_t, ref_v = torch_side(path, a, ids)
    print(f"{'operation':15s} {'tn (s)':>8s} {'TL algorithm, torch (s)':>24s} {'tn/torch':>9s}")
    for k in tn_t:
        print(f"{k:15s} {tn_t[k][-1]:8.3f} {ref_t[k][-1]:24.3f} {tn_t[k][-1] / ref_t[k][-1]:9.2f}x")
    print("values (tn | torch | relative difference):")
    for k in ref_v:
        x, y = tn_v.get(k, float("nan")), ref_v[k]
        print(f"  {k:8s} {x: .6g} | {y: .6g} | {abs(x - y) / max(abs(y), 1e-30):.1e}")


if __name__ == "__main__":
    main()
