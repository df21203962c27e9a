#!/usr/bin/env python3
"""Generates the torch-autograd fixtures for tn's derivative tests (tn.interp.DerivativeTorchTest).

Run from anywhere with python3, numpy and torch (CPU):  python3 make_fixtures.py
The outputs are checked in; the Java tests never run Python.

A GPT-2-style block in float64 on fixed random weights (seed 19): layer norm with scale and shift,
two causal softmax attention heads, a GELU (tanh approximation) MLP, residual adds, a final layer
norm, an unembedding and a cross-entropy loss. Written out: the weights and input (w_*.npy, x0.npy,
target.npy) and, from torch autograd, the Jacobian of the block's output with respect to its input
(jac_x2_x0.npy, legs pos, d, pos', d') and the gradients of the loss (grad_*.npy, legs as the
weight's). The Java test builds the same model in tn from the weight files and compares.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
POS, D, HEAD, DH, HID, VOCAB = 5, 8, 2, 4, 16, 7
EPS = 1e-5

rng = np.random.default_rng(19)
w = {
    "x0": rng.normal(size=(POS, D)),
    "ln1_w": 1 + 0.1 * rng.normal(size=D), "ln1_b": 0.1 * rng.normal(size=D),
    "Wq": 0.4 * rng.normal(size=(HEAD, D, DH)), "Wk": 0.4 * rng.normal(size=(HEAD, D, DH)),
    "Wv": 0.4 * rng.normal(size=(HEAD, D, DH)), "Wo": 0.4 * rng.normal(size=(HEAD, DH, D)),
    "ln2_w": 1 + 0.1 * rng.normal(size=D), "ln2_b": 0.1 * rng.normal(size=D),
    "Win": 0.4 * rng.normal(size=(D, HID)), "b_in": 0.1 * rng.normal(size=HID),
    "Wout": 0.4 * rng.normal(size=(HID, D)),
    "lnf_w": 1 + 0.1 * rng.normal(size=D), "lnf_b": 0.1 * rng.normal(size=D),
    "Wu": 0.4 * rng.normal(size=(D, VOCAB)),
}
target = rng.integers(0, VOCAB, size=POS)


def block(x0, p):
    h = F.layer_norm(x0, (D,), p["ln1_w"], p["ln1_b"], eps=EPS)
    q = torch.einsum("pd,hde->hpe", h, p["Wq"])
    k = torch.einsum("pd,hde->hpe", h, p["Wk"])
    v = torch.einsum("pd,hde->hpe", h, p["Wv"])
    scores = torch.einsum("hpe,hke->hpk", q, k) / np.sqrt(DH)
    mask = torch.triu(torch.ones(POS, POS, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(mask, -1e30)
    a = torch.softmax(scores, dim=-1)
    z = torch.einsum("hpk,hke->phe", a, v)
    x1 = x0 + torch.einsum("phe,hed->pd", z, p["Wo"])
    h2 = F.layer_norm(x1, (D,), p["ln2_w"], p["ln2_b"], eps=EPS)
    m = F.gelu(h2 @ p["Win"] + p["b_in"], approximate="tanh") @ p["Wout"]
    return x1 + m


def loss_of(p):
    x2 = block(p["x0"], p)
    logits = F.layer_norm(x2, (D,), p["lnf_w"], p["lnf_b"], eps=EPS) @ p["Wu"]
    return F.cross_entropy(logits, torch.tensor(target), reduction="sum")


def main():
    p = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in w.items()}
    for k, v in w.items():
        np.save(os.path.join(HERE, f"w_{k}.npy"), v)
    np.save(os.path.join(HERE, "target.npy"), np.eye(VOCAB)[target])  # one-hot [pos, vocab]
    jac = torch.autograd.functional.jacobian(lambda x: block(x, p), p["x0"].detach())
    np.save(os.path.join(HERE, "jac_x2_x0.npy"), jac.detach().numpy())
    loss = loss_of(p)
    loss.backward()
    np.save(os.path.join(HERE, "loss.npy"), loss.detach().numpy().reshape(1))
    for k in ["x0", "Wq", "Win", "Wu", "ln1_w", "lnf_b"]:
        np.save(os.path.join(HERE, f"grad_{k}.npy"), p[k].grad.numpy())


if __name__ == "__main__":
    main()
