#!/usr/bin/env python3
"""Tiny GPT-2 files stored as F32, F16 and BF16, and what tn must read from them, by numpy.

Run from anywhere with python3 and numpy:  python3 make_fixtures.py
Writes tiny_{f32,f16,bf16}.safetensors (Hugging Face's names and Conv1D layout, written by the
benchmark's own safetensors writer, src/bench/gpt2_load.py) and expected_{f32,f16,bf16}.npz: every
weight of tn's model record (W_E, W_Q [layer, head, d_model, d_head], ...) as float32, decoded
from the stored bits by numpy (float16 by astype, bfloat16 by shifting its bits into a float32) and
rearranged by numpy's reshape/transpose. The outputs are checked in; the Java tests never run Python.
Among the weights are values where decoding can go wrong: -0.0, float16 subnormals and its
largest value, bfloat16 subnormals and values near float32's largest.
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bench"))
import gpt2_load  # noqa: E402

LAYERS, D, HEADS, VOCAB, CTX = 2, 8, 2, 11, 5
DH, DMLP = D // HEADS, 4 * D


def stored(x, dtype):
    """The float32 values of x as stored in dtype, decoded by numpy."""
    if dtype == "F32":
        return x.astype(np.float32)
    if dtype == "F16":
        return x.astype(np.float16).astype(np.float32)
    bits = gpt2_load.bf16_bits(x).astype(np.uint32) << 16
    return bits.view(np.float32).reshape(x.shape)


def main():
    for dtype in ("F32", "F16", "BF16"):
        w = gpt2_load.weights(LAYERS, D, HEADS, VOCAB, CTX, seed=7)
        # Values that show a wrong decoder: -0, float16's subnormals and extremes, bfloat16's.
        w["transformer.wte.weight"][0, :8] = [-0.0, 2.0 ** -24, 3 * 2.0 ** -24, 65504.0, -65504.0, 2.0 ** -14, 1.0e-40, 3.0e38]
        if dtype == "F16":
            w["transformer.wte.weight"][0, 6:8] = [1.0, -2.5]   # beyond float16's range: replaced
        name = dtype.lower()
        gpt2_load.write_safetensors(os.path.join(HERE, f"tiny_{name}.safetensors"), w, dtype)
        s = {k[len("transformer."):]: stored(v, dtype) for k, v in w.items()}
        e = {"W_E": s["wte.weight"], "W_pos": s["wpe.weight"]}
        stack = lambda n: np.stack([s[f"h.{l}.{n}"] for l in range(LAYERS)])  # noqa: E731
        attn, attn_b = stack("attn.c_attn.weight"), stack("attn.c_attn.bias")   # [L, D, 3D], [L, 3D]
        for k, q in enumerate("QKV"):
            cols = attn[:, :, k * D:(k + 1) * D].reshape(LAYERS, D, HEADS, DH)
            e["W_" + q] = np.ascontiguousarray(cols.transpose(0, 2, 1, 3))
            e["b_" + q] = attn_b[:, k * D:(k + 1) * D].reshape(LAYERS, HEADS, DH)
        e["W_O"] = stack("attn.c_proj.weight").reshape(LAYERS, HEADS, DH, D)
        e["b_O"] = stack("attn.c_proj.bias")
        e["ln1_w"], e["ln1_b"] = stack("ln_1.weight"), stack("ln_1.bias")
        e["ln2_w"], e["ln2_b"] = stack("ln_2.weight"), stack("ln_2.bias")
        e["W_in"], e["b_in"] = stack("mlp.c_fc.weight"), stack("mlp.c_fc.bias")
        e["W_out"], e["b_out"] = stack("mlp.c_proj.weight"), stack("mlp.c_proj.bias")
        e["lnf_w"], e["lnf_b"] = s["ln_f.weight"], s["ln_f.bias"]
        e["W_U"] = np.ascontiguousarray(s["wte.weight"].T)   # [d_model, vocab]
        np.savez(os.path.join(HERE, f"expected_{name}.npz"), **{k: np.ascontiguousarray(v, dtype=np.float32) for k, v in e.items()})


if __name__ == "__main__":
    main()
