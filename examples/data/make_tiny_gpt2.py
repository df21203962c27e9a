"""Writes tiny_gpt2.safetensors: a 2-layer GPT-2 shaped model (d_model 16, 4 heads, the 16-token
vocab.json beside it, context 8) with seeded random weights under GPT-2's Hugging Face names, in
the safetensors format (written by hand here: the safetensors package is not needed), and its
config.json as Hugging Face writes one (GPT-2's keys; load_gpt2 takes the number of heads from it).
Run from this folder: python3 make_tiny_gpt2.py"""
import json
import struct

import numpy as np

rng = np.random.default_rng(2026)
d, heads, layers, vocab, ctx, mlp = 16, 4, 2, 16, 8, 64
tensors = {"wte.weight": rng.normal(0, 0.5, (vocab, d)), "wpe.weight": rng.normal(0, 0.1, (ctx, d))}
for l in range(layers):
    p = f"h.{l}."
    tensors[p + "ln_1.weight"] = 1 + rng.normal(0, 0.1, d)
    tensors[p + "ln_1.bias"] = rng.normal(0, 0.1, d)
    tensors[p + "attn.c_attn.weight"] = rng.normal(0, 0.4, (d, 3 * d))
    tensors[p + "attn.c_attn.bias"] = rng.normal(0, 0.1, 3 * d)
    tensors[p + "attn.c_proj.weight"] = rng.normal(0, 0.3, (d, d))
    tensors[p + "attn.c_proj.bias"] = rng.normal(0, 0.1, d)
    tensors[p + "ln_2.weight"] = 1 + rng.normal(0, 0.1, d)
    tensors[p + "ln_2.bias"] = rng.normal(0, 0.1, d)
    tensors[p + "mlp.c_fc.weight"] = rng.normal(0, 0.3, (d, mlp))
    tensors[p + "mlp.c_fc.bias"] = rng.normal(0, 0.1, mlp)
    tensors[p + "mlp.c_proj.weight"] = rng.normal(0, 0.2, (mlp, d))
    tensors[p + "mlp.c_proj.bias"] = rng.normal(0, 0.1, d)
tensors["ln_f.weight"] = 1 + rng.normal(0, 0.1, d)
tensors["ln_f.bias"] = rng.normal(0, 0.1, d)

header, data, offset = {}, b"", 0
for name, array in tensors.items():
    raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
    data += raw
    offset += len(raw)
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
with open("tiny_gpt2.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + data)

config = {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "layer_norm_epsilon": 1e-05,
          "model_type": "gpt2", "n_ctx": ctx, "n_embd": d, "n_head": heads, "n_layer": layers, "n_positions": ctx,
          "vocab_size": vocab}
with open("config.json", "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
