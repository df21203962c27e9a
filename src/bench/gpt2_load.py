#!/usr/bin/env python3
"""Loading a GPT-2-small-shaped model: tn's load_gpt2 against Hugging Face's from_pretrained, side by side.

    python3 src/bench/gpt2_load.py [--dtype F32|F16|BF16] [--repeat 3] [--dir target/bench/gpt2_load]
                                   [--layers 12 --d-model 768 --heads 12 --vocab 50257 --context 1024]

Writes DIR/model.safetensors (Hugging Face's names, Conv1D layout, lm_head tied and not stored;
random weights from a fixed seed, biases and layer norms drawn too) and DIR/config.json, then,
in turns (tn, HF, tn, HF, ...; each in a fresh process):
  - tn: `./tn run` of a script that loads the file and touches one entry, and of a script that
    starts the numeric backend only (its start-up, subtracted to give the load's time);
  - HF: GPT2LMHeadModel.from_pretrained(DIR) timed inside the process, after torch and
    transformers are imported and a tiny model was loaded (the first load imports modules); skipped with a message when they are not installed.
Peak RSS is each process's maximum resident set (os.wait4), start-up included, for both sides.
Prints every run and the medians, and the ratios tn / HF. Python is only a yardstick here.

The file is written by this script's own writer (a header of JSON and the raw little-endian bytes),
not by tn, so it is an independent check of what tn reads. numpy has no bfloat16: BF16 entries
are the float32 values rounded to nearest even in their upper 16 bits, as torch rounds.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def weights(layers, d, heads, vocab, ctx, seed=0):
    """GPT-2's tensors under Hugging Face's names, float32, in the order save_pretrained writes them."""
    rng = np.random.default_rng(seed)

    def normal(*shape, std=0.02, mean=0.0):
        return (mean + std * rng.standard_normal(shape, dtype=np.float32)).astype(np.float32)

    w = {"transformer.wte.weight": normal(vocab, d), "transformer.wpe.weight": normal(ctx, d)}
    for l in range(layers):
        p = f"transformer.h.{l}."
        w[p + "ln_1.weight"] = normal(d, mean=1.0)
        w[p + "ln_1.bias"] = normal(d)
        w[p + "attn.c_attn.weight"] = normal(d, 3 * d)
        w[p + "attn.c_attn.bias"] = normal(3 * d)
        w[p + "attn.c_proj.weight"] = normal(d, d)
        w[p + "attn.c_proj.bias"] = normal(d)
        w[p + "ln_2.weight"] = normal(d, mean=1.0)
        w[p + "ln_2.bias"] = normal(d)
        w[p + "mlp.c_fc.weight"] = normal(d, 4 * d)
        w[p + "mlp.c_fc.bias"] = normal(4 * d)
        w[p + "mlp.c_proj.weight"] = normal(4 * d, d)
        w[p + "mlp.c_proj.bias"] = normal(d)
    w["transformer.ln_f.weight"] = normal(d, mean=1.0)
    w["transformer.ln_f.bias"] = normal(d)
    return w


def bf16_bits(x):
    """float32 -> bfloat16 bits (uint16), rounded to nearest even; NaN stays NaN."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(x)
    rounded[nan] = ((bits[nan] >> 16) | 0x40).astype(np.uint16)
    return rounded


def encode(x, dtype):
    """The little-endian bytes of x stored as dtype (F32, F16, BF16, F64)."""
    if dtype == "F32":
        return np.ascontiguousarray(x, dtype="<f4").tobytes()
    if dtype == "F64":
        return np.ascontiguousarray(x, dtype="<f8").tobytes()
    if dtype == "F16":
        return np.ascontiguousarray(x, dtype="<f2").tobytes()
    if dtype == "BF16":
        return bf16_bits(x).astype("<u2").tobytes()
    raise ValueError(dtype)


def write_safetensors(path, tensors, dtype, metadata=None):
    """The safetensors format written out by hand: u64 header length, JSON header (padded with spaces to 8), data."""
    header, offset, blobs = {}, 0, []
    for name, x in tensors.items():
        b = encode(x, dtype)
        header[name] = {"dtype": dtype, "shape": list(x.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(len(h).to_bytes(8, "little"))
        f.write(h)
        for b in blobs:
            f.write(b)


def write_model(directory, layers, d, heads, vocab, ctx, dtype):
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "model.safetensors"), weights(layers, d, heads, vocab, ctx), dtype,
                      metadata={"format": "pt"})
    config = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_layer": layers, "n_embd": d,
              "n_head": heads, "vocab_size": vocab, "n_positions": ctx, "n_ctx": ctx, "n_inner": None,
              "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5, "tie_word_embeddings": True}
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(config, f, indent=2)


# The first from_pretrained of a process also imports GPT-2's modules (5 s here): a tiny model is
# loaded first, as tn's side has its start-up subtracted.
HF_SCRIPT = r"""
import json, resource, sys, time
import torch, transformers
transformers.GPT2LMHeadModel.from_pretrained(sys.argv[2])
start = time.perf_counter()
m = transformers.GPT2LMHeadModel.from_pretrained(sys.argv[1])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "first": float(m.transformer.wte.weight[0, 0])}))
"""


def run_measured(cmd, env=None):
    """Runs cmd in a child; (wall seconds, peak RSS bytes, stdout), the RSS from wait4 of that child alone."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = p.stdout.read(), p.stderr.read()  # tn and HF print little: no pipe fills up
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{err.decode()}")
    return seconds, usage.ru_maxrss * 1024, out.decode()


def hf_available():
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
        return True
    except ImportError:
        return False


def add_model_arguments(ap):
    """The model's shape (GPT-2 small's by default) and --before, shared with gpt2_forward.py."""
    ap.add_argument("--layers", type=int, default=12)
    ap.add_argument("--d-model", type=int, default=768)
    ap.add_argument("--heads", type=int, default=12)
    ap.add_argument("--vocab", type=int, default=50257)
    ap.add_argument("--context", type=int, default=1024)
    ap.add_argument("--before", help="another tn launcher (e.g. an older checkout's ./tn) to time in the same turns")


def write_model_in_child(directory, a, dtype):
    """Writes the model of a's shape into directory from a child process: a child's peak RSS counts
    its parent's at the fork, so the measuring process stays small."""
    subprocess.run([sys.executable, os.path.abspath(__file__), "--write-only", "--dir", directory, "--dtype", dtype,
                    "--layers", str(a.layers), "--d-model", str(a.d_model), "--heads", str(a.heads), "--vocab", str(a.vocab),
                    "--context", str(a.context)], check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=os.path.join(ROOT, "target", "bench", "gpt2_load"))
    ap.add_argument("--dtype", default="F32", choices=["F32", "F16", "BF16"])
    ap.add_argument("--repeat", type=int, default=3)
    add_model_arguments(ap)
    ap.add_argument("--write-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--memory-limit", help="tn's memory limit for the load (set memory_limit = ...); default: tn's own")
    a = ap.parse_args()

    directory = os.path.abspath(a.dir)
    if a.write_only:
        write_model(directory, a.layers, a.d_model, a.heads, a.vocab, a.context, a.dtype)
        return
    write_model_in_child(directory, a, a.dtype)
    tiny = os.path.join(directory, "tiny")
    write_model(tiny, 1, 8, 2, 16, 8, a.dtype)
    size = os.path.getsize(os.path.join(directory, "model.safetensors"))
    print(f"model: {a.layers} layers, d_model {a.d_model}, {a.heads} heads, vocab {a.vocab}, context {a.context}, "
          f"{a.dtype}; file {size / 1e6:.0f} MB ({directory})")

    load = os.path.join(directory, "load.tn")
    with open(load, "w") as f:
        if a.memory_limit:
            f.write(f"set memory_limit = {a.memory_limit}\n")
        f.write('m = load_gpt2("model.safetensors")\nprint(m.n_layers)\n')
    base = os.path.join(directory, "start.tn")
    with open(base, "w") as f:
        f.write("leg i = 2\nx = ones(i)\nprint(sum(x))\n")
    tn = [os.path.join(ROOT, "tn"), "run"]
    # Build the jar (if stale) outside the timed runs.
    subprocess.run(tn + [base], check=True, stdout=subprocess.DEVNULL)

    hf = hf_available()
    if not hf:
        print("torch/transformers not installed: Hugging Face's side is skipped (pip install torch transformers)")
    rows = {"tn_total": [], "tn_start": [], "tn_rss": [], "tn_start_rss": [], "hf": [], "hf_rss": []}
    before = [os.path.abspath(a.before), "run"] if a.before else None
    if before:
        subprocess.run(before + [base], check=True, stdout=subprocess.DEVNULL)
        rows.update({"b_total": [], "b_start": [], "b_rss": []})
    for r in range(a.repeat):
        if before:
            b0, _, _ = run_measured(before + [base])
            b1, brss, _ = run_measured(before + [load])
            rows["b_start"].append(b0)
            rows["b_total"].append(b1)
            rows["b_rss"].append(brss)
            print(f"run {r + 1}: before: tn load_gpt2 {b1 - b0:6.2f} s (process {b1:5.2f} s - start-up {b0:4.2f} s), "
                  f"peak RSS {brss / 1e9:5.2f} GB", flush=True)
        s0, rss0, _ = run_measured(tn + [base])
        s1, rss1, out = run_measured(tn + [load])
        rows["tn_start"].append(s0)
        rows["tn_start_rss"].append(rss0)
        rows["tn_total"].append(s1)
        rows["tn_rss"].append(rss1)
        line = (f"run {r + 1}: tn load_gpt2 {s1 - s0:6.2f} s (process {s1:5.2f} s - start-up {s0:4.2f} s), "
                f"peak RSS {rss1 / 1e9:5.2f} GB (start-up alone {rss0 / 1e9:4.2f} GB)")
        if hf:
            _, rss2, out2 = run_measured([sys.executable, "-c", HF_SCRIPT, directory, tiny])
            res = json.loads(out2.strip().splitlines()[-1])
            rows["hf"].append(res["seconds"])
            rows["hf_rss"].append(rss2)
            line += f" | HF from_pretrained {res['seconds']:5.2f} s, peak RSS {rss2 / 1e9:5.2f} GB"
        print(line, flush=True)

    med = {k: statistics.median(v) for k, v in rows.items() if v}
    tn_load = statistics.median([t - s for t, s in zip(rows["tn_total"], rows["tn_start"])])
    print(f"median: tn load {tn_load:.2f} s, tn peak RSS {med['tn_rss'] / 1e9:.2f} GB "
          f"({med['tn_rss'] / size:.2f}x the file, {(med['tn_rss'] - med['tn_start_rss']) / size:.2f}x above start-up)")
    if before:
        b_load = statistics.median([t - s for t, s in zip(rows["b_total"], rows["b_start"])])
        print(f"median: before: tn load {b_load:.2f} s, peak RSS {med['b_rss'] / 1e9:.2f} GB")
    if hf:
        print(f"median: HF load {med['hf']:.2f} s, HF peak RSS {med['hf_rss'] / 1e9:.2f} GB ({med['hf_rss'] / size:.2f}x the file)")
        print(f"ratio tn/HF: load time {tn_load / med['hf']:.1f}x (goal <= 2), peak RSS {med['tn_rss'] / med['hf_rss']:.2f}x")
    print(f"goal: peak RSS <= 1.5x the weights ({1.5 * size / 1e9:.2f} GB): tn {med['tn_rss'] / 1e9:.2f} GB "
          f"({'met' if med['tn_rss'] <= 1.5 * size else 'missed'})")


if __name__ == "__main__":
    main()
