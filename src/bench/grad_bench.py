#!/usr/bin/env python3
"""tn's exact derivatives against torch autograd on the same weights (CPU, float32), side by side.

Run from the repository root:  python3 src/bench/grad_bench.py [--reps 5] [--skip-gpt2]
Needs numpy and torch (CPU); not run in CI. tn is run through `./tn repl` with `:time` per statement;
torch in this process, alternating with tn run by run so both see the same machine load.

1. grad of a scalar loss (cross-entropy of a small transformer: layers=2, heads=4, d_model=64,
   d_mlp=256, vocab=64, 16 positions) with respect to one weight (W_E: the gradient goes back
   through every layer), forward and backward together; the tn forward alone for scale; and with
   respect to every weight at once (tn: grad(loss, m), one backward pass; torch: backward() with
   every weight requiring grad), what a training step needs.
2. The seed's study at GPT-2-small shapes: one block (12 heads, d_model 768, d_mlp 3072, random
   weights, std 0.02, 16 positions); the 768 x 768 Jacobian of its output at position 12 with respect
   to its input at position 3 (the input written x = X + e_3 v, J = d y[12] / d v), exact in tn
   (jacobian) and with torch.autograd.functional.jacobian (vectorize=True, one batched backward).

The weights are made by tn's transformer(...) and saved as .npy; torch builds the same model
(GPT-2 layout, the stdlib's conventions) and the results are compared (loss, gradient, Jacobian)
before any time is reported.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIELDS = ["W_E", "W_pos", "W_Q", "W_K", "W_V", "W_O", "b_Q", "b_K", "b_V", "b_O", "ln1_w", "ln1_b", "ln2_w",
          "ln2_b", "W_in", "b_in", "W_out", "b_out", "lnf_w", "lnf_b", "W_U", "b_U"]


def tn_repl(lines, cwd):
    """Runs lines in `tn repl`; returns (stdout, [milliseconds of each :time])."""
    out = subprocess.run([os.path.join(ROOT, "tn"), "repl"], input="\n".join(lines) + "\n", cwd=cwd,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit("tn failed:\n" + out.stdout + out.stderr)
    # :time prints milliseconds below a second and seconds above ("time: 3.21 s")
    times = [float(v) * (1e3 if unit == "s" else 1) for v, unit in re.findall(r"time: ([0-9.]+) (ms|s)\b", out.stdout)]
    return out.stdout, times


def load(d):
    return {k: torch.tensor(np.load(os.path.join(d, k + ".npy"))) for k in FIELDS}


def ln(x, w, b, eps=1e-5):
    return F.layer_norm(x, (x.shape[-1],), w, b, eps=eps)


def block(p, l, x):
    """The stdlib's block(m, l, x): pre-norm attention then a GELU MLP, GPT-2 style."""
    n, dh = x.shape[0], p["W_Q"].shape[-1]
    h = ln(x, p["ln1_w"][l], p["ln1_b"][l])
    q = torch.einsum("pd,hde->hpe", h, p["W_Q"][l]) + p["b_Q"][l][:, None, :]
    k = torch.einsum("pd,hde->hpe", h, p["W_K"][l]) + p["b_K"][l][:, None, :]
    v = torch.einsum("pd,hde->hpe", h, p["W_V"][l]) + p["b_V"][l][:, None, :]
    s = torch.einsum("hpe,hke->hpk", q, k) / np.sqrt(dh)
    s = s.masked_fill(torch.triu(torch.ones(n, n, dtype=torch.bool), 1), float("-inf"))
    z = torch.einsum("hpk,hke->phe", torch.softmax(s, -1), v)
    x = x + torch.einsum("phe,hed->pd", z, p["W_O"][l]) + p["b_O"][l]
    h2 = ln(x, p["ln2_w"][l], p["ln2_b"][l])
    return x + F.gelu(h2 @ p["W_in"][l] + p["b_in"][l], approximate="tanh") @ p["W_out"][l] + p["b_out"][l]


def loss_of(p, ids, target, layers):
    x = p["W_E"][ids] + p["W_pos"][: len(ids)]
    for l in range(layers):
        x = block(p, l, x)
    logits = ln(x, p["lnf_w"], p["lnf_b"]) @ p["W_U"] + p["b_U"]
    return F.cross_entropy(logits, target, reduction="sum")


def save_lines(d):
    return [f'save(m.{k}, "{d}/{k}.npy")' for k in FIELDS]


def bench_loss(reps, d, d_model=64, n=16):
    layers = 2
    ids = [(7 * i + 3) % 64 for i in range(n)]
    targets = ids[1:] + [0]
    model = (f"m = transformer(layers=2, heads=4, d_model={d_model}, d_mlp={4 * d_model}, vocab=64, context={n},"
             " seed=5, std=0.1)")
    tn_lines = ["import transformer", model, f"ids = {ids}",
                f"target = onehot({targets}, pos, vocab, size=64)",
                "def L(m) = -sum(target log(softmax(forward(m, ids), vocab)))"] + save_lines(d)
    tn_lines += [f'save(grad(L(m), m.W_E), "{d}/g.npy")', 'print("loss", L(m))']
    tn_lines += ["def all_grads(m) {", "    g = grad(L(m), m)", "    s = 0", "    for k in keys(g) {",
                 "        s = s + norm(get(g, k))", "    }", "    return s", "}", "G = grad(L(m), m)"]
    tn_lines += [f'save(get(G, "{k}"), "{d}/g_{k}.npy")' for k in FIELDS]
    for _ in range(reps + 2):
        tn_lines += [":time print(L(m))", ":time print(norm(grad(L(m), m.W_E)))", ":time print(all_grads(m))"]
    p = None
    t_torch, t_tn = [], []
    out, times = tn_repl(tn_lines, d)
    p = load(d)
    p["W_E"].requires_grad_(True)
    ids_t, tgt = torch.tensor(ids), torch.tensor(targets)
    loss = loss_of(p, ids_t, tgt, layers)
    loss.backward()
    tn_loss = float(re.search(r"loss ([-0-9.e]+)", out).group(1))
    g = np.load(os.path.join(d, "g.npy"))
    err = np.abs(g - p["W_E"].grad.numpy()).max() / np.abs(g).max()
    print(f"loss: tn {tn_loss:.6g}, torch {loss.item():.6g}; grad W_E relative max difference {err:.2e}")
    for k in FIELDS:
        p[k].requires_grad_(True)
        p[k].grad = None
    loss_of(p, ids_t, tgt, layers).backward()
    # Relative to the largest gradient entry of all: b_K's gradient is 0 (a softmax does not see a
    # shift of every key's score), so tn's and torch's are both rounding noise, ~1e-9.
    scale = max(np.abs(p[k].grad.numpy()).max() for k in FIELDS)
    worst = max(np.abs(np.load(os.path.join(d, f"g_{k}.npy")) - p[k].grad.numpy()).max() for k in FIELDS) / scale
    print(f"grad(loss, m), all {len(FIELDS)} weights from one backward pass: max difference {worst:.2e} of the largest entry")
    t_all = []
    for r in range(reps + 5):
        for k in FIELDS:
            p[k].grad = None
        t0 = time.perf_counter()
        loss_of(p, ids_t, tgt, layers).backward()
        t_all.append((time.perf_counter() - t0) * 1e3)
    t_all = t_all[5:]
    for k in FIELDS:
        p[k].requires_grad_(False)
        p[k].grad = None
    p["W_E"].requires_grad_(True)
    for r in range(reps + 5):  # 5 warm-up runs first (torch's first calls are 10-100x slower)
        p["W_E"].grad = None
        t0 = time.perf_counter()
        loss = loss_of(p, ids_t, tgt, layers)
        loss.backward()
        t_torch.append((time.perf_counter() - t0) * 1e3)
    fwd, both, every, t_torch = times[0::3][2:], times[1::3][2:], times[2::3][2:], t_torch[5:]
    # Warm runs only (the first runs include JIT warm-up on both sides).
    print(f"[grad of a scalar loss, layers=2 d_model={d_model}, {n} positions, {len(t_torch)} timed reps after warm-up: median (min)]")
    print(f"  tn forward only:          {np.median(fwd):8.2f} ({min(fwd):.2f}) ms")
    print(f"  tn forward + grad(W_E):   {np.median(both):8.2f} ({min(both):.2f}) ms")
    print(f"  torch forward + backward: {np.median(t_torch):8.2f} ({min(t_torch):.2f}) ms")
    print(f"  ratio tn / torch: median {np.median(both) / np.median(t_torch):.1f}x, min {min(both) / min(t_torch):.1f}x;"
          f" tn grad / tn forward: {np.median(both) / np.median(fwd):.1f}x")
    print(f"  tn forward + grad(loss, m), {len(FIELDS)} weights: {np.median(every):8.2f} ({min(every):.2f}) ms")
    print(f"  torch forward + backward, {len(FIELDS)} weights:   {np.median(t_all):8.2f} ({min(t_all):.2f}) ms")
    print(f"  ratio tn / torch, every weight: median {np.median(every) / np.median(t_all):.1f}x, min {min(every) / min(t_all):.1f}x")


def bench_gpt2(reps, d):
    n, t, s = 16, 12, 3
    model = "m = transformer(layers=1, heads=12, d_model=768, d_mlp=3072, vocab=8, context=16, seed=3, std=0.02)"
    tn_lines = ["import transformer", model, "leg pos = 16",
                "X = random(pos, d_model, seed=4)",
                f"e_s = onehot([{s}], one, pos, size=16)",
                f"e_t = onehot([{t}], one, pos, size=16)",
                "v = random(d_model, seed=5)",
                "def y_of(v) = block(m, 0, X + (e_s v -> [pos, d_model])) e_t -> [d_model]"]
    tn_lines = tn_lines[:4] + ["leg one = 1"] + tn_lines[4:]
    tn_lines += save_lines(d) + [f'save(X, "{d}/X.npy")', f'save(v, "{d}/v.npy")',
                                 f'save(jacobian(y_of(v), v), "{d}/J.npy")']
    for _ in range(reps):
        tn_lines += [":time print(norm(y_of(v)))", ":time print(norm(jacobian(y_of(v), v)))"]
    out, times = tn_repl(tn_lines, d)
    p = load(d)
    X = torch.tensor(np.load(os.path.join(d, "X.npy")))
    v = torch.tensor(np.load(os.path.join(d, "v.npy")))

    def f(v):
        x = X.clone()
        x = x + torch.nn.functional.one_hot(torch.tensor(s), n).to(x.dtype)[:, None] * v[None, :]
        return block(p, 0, x)[t]

    J = torch.autograd.functional.jacobian(f, v, vectorize=True)
    Jtn = np.load(os.path.join(d, "J.npy"))
    err = np.abs(Jtn - J.numpy()).max() / np.abs(J.numpy()).max()
    print(f"GPT-2-small block Jacobian [768 x 768]: relative max difference tn vs torch {err:.2e}")
    t_vec, t_loop = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.autograd.functional.jacobian(f, v, vectorize=True)
        t_vec.append((time.perf_counter() - t0) * 1e3)
    for _ in range(max(2, reps // 2)):
        t0 = time.perf_counter()
        vv = v.clone().requires_grad_(True)
        y = f(vv)
        for i in range(768):
            torch.autograd.grad(y[i], vv, retain_graph=True)
        t_loop.append((time.perf_counter() - t0) * 1e3)
    fwd, jac = times[0::2], times[1::2]
    print(f"[768 x 768 Jacobian of a GPT-2-small block, {n} positions, {reps} reps, medians of runs 2..]")
    print(f"  tn forward only:                    {np.median(fwd[1:]):9.1f} ms")
    print(f"  tn jacobian (exact):                {np.median(jac[1:]):9.1f} ms")
    print(f"  torch jacobian (vectorize=True):    {np.median(t_vec[1:]):9.1f} ms")
    print(f"  torch 768 backward passes:          {np.median(t_loop[1:]):9.1f} ms")
    print(f"  ratio tn / torch vectorized: {np.median(jac[1:]) / np.median(t_vec[1:]):.1f}x")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--skip-gpt2", action="store_true")
    ap.add_argument("--d-model", type=int, default=64, help="the small transformer's width (d_mlp = 4 d_model)")
    ap.add_argument("--positions", type=int, default=16)
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; the machine may be shared (see the figures' spread)")
    with tempfile.TemporaryDirectory() as d:
        bench_loss(args.reps, d, args.d_model, args.positions)
    if not args.skip_gpt2:
        with tempfile.TemporaryDirectory() as d:
            bench_gpt2(args.reps, d)


if __name__ == "__main__":
    main()
