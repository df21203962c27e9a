#!/usr/bin/env python3
"""A forward pass of a GPT-2-small-shaped model: tn's forward against Hugging Face's, side by side.

    python3 src/bench/gpt2_forward.py [--tokens 64] [--threads 2] [--repeat 3] [--warm N] [--dir target/bench/gpt2_load]
                                      [--before OTHER/tn] [--layers 12 --d-model 768 --heads 12 --vocab 50257 --context 1024]

Writes DIR/model.safetensors and DIR/config.json with gpt2_load.py's writer (float32, fixed seed;
kept when DIR already holds a model of these sizes), then, in turns (tn, HF, tn, HF, ...; each in
a fresh process):
  - tn: `./tn run` of three scripts: load_gpt2 alone, load + one forward of TOKENS tokens, load + two
    forwards (each `detach(forward(m, range(TOKENS)))`, so the logits are computed). The first
    forward is (one) - (load), the second (two) - (one): the second runs with a warm JIT and warm
    plan cache, as repeated forwards in a study do;
  - HF: GPT2LMHeadModel.from_pretrained(DIR) then two forwards of the same ids under torch.no_grad(),
    each timed inside the process; skipped with a message when torch/transformers are not installed.
Memory: the peak resident size of each side's process after one forward and after ten (tn's
launcher and HF's script alike, in the first turn), so growth from one forward to the next shows
(goal: peak within 1.5x the weights' size, no growth). Both sides get THREADS threads (torch.set_num_threads; OMP_NUM_THREADS and OPENBLAS_NUM_THREADS for
tn's native libraries). Then the steady state inside one process per side, REPEAT times: tn's REPL
`:time` of the forward (the median of its runs after the first) against the median of HF's forwards
2 to 11. With --warm N, also the median of forwards N + 3 to N + 22 on both sides (a
long session, tn's JIT done compiling). Prints every run, the medians and the ratios tn / HF (goal: <= 1.0). Timings
are only comparable within one run: the machine may be shared.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt2_load import ROOT, add_model_arguments, hf_available, run_measured, write_model_in_child  # noqa: E402

HF_SCRIPT = r"""
import json, sys, time
import torch, transformers
torch.set_num_threads(int(sys.argv[3]))
m = transformers.GPT2LMHeadModel.from_pretrained(sys.argv[1]).eval()
ids = torch.arange(int(sys.argv[2])).unsqueeze(0)
times = []
with torch.no_grad():
    for _ in range(int(sys.argv[4]) if len(sys.argv) > 4 else 2):
        start = time.perf_counter()
        logits = m(ids).logits
        times.append(time.perf_counter() - start)
after = int(sys.argv[5]) if len(sys.argv) > 5 else 1  # the forwards before this index are not in the median
print(json.dumps({"first": times[0], "second": times[-1], "median_after_first": sorted(times[after:])[len(times[after:]) // 2] if len(times) > after else times[0],
                  "logit": float(logits[0, -1, 0])}))
"""


def model_matches(directory, a):
    try:
        with open(os.path.join(directory, "config.json")) as f:
            c = json.load(f)
    except (OSError, ValueError):
        return False
    want = {"n_layer": a.layers, "n_embd": a.d_model, "n_head": a.heads, "vocab_size": a.vocab, "n_positions": a.context}
    return all(c.get(k) == v for k, v in want.items()) and os.path.exists(os.path.join(directory, "model.safetensors"))


def in_process(a, launchers, hf, weights, directory, env, skip, count, hf_count):
    """Per side, a.repeat in-process medians of forwards (seconds). tn: in one REPL, `:time -n SKIP`
    (when SKIP > 0: its first run plus SKIP) and then `:time -n COUNT`, whose median of runs after its
    first is taken; HF: the median of the HF_COUNT forwards after the first SKIP + 1 (or + 2 after a
    skip, to match tn's two first runs)."""
    forward = f"y = detach(forward(m, range({a.tokens})))"
    lines = f'import transformer\nm = load_gpt2("{weights}")\n' + (f":time -n {skip} {forward}\n" if skip else "") + f":time -n {count} {forward}\n"
    start = skip + 2 if skip else 1
    medians = {who: [] for who in launchers}
    medians["hf"] = []
    for r in range(a.repeat):
        for who, cmd in launchers.items():
            p = subprocess.run([cmd[0], "repl"], input=lines, capture_output=True, text=True, env=env)
            times = re.findall(r"time: ([0-9.]+) (ms|s) median", p.stdout)
            if len(times) != (2 if skip else 1):
                sys.exit(f"{who}: not the :time lines expected in the REPL's output:\n{p.stdout}\n{p.stderr}")
            medians[who].append(float(times[-1][0]) / (1000 if times[-1][1] == "ms" else 1))
        if hf:
            _, _, out = run_measured([sys.executable, "-c", HF_SCRIPT, directory, str(a.tokens), str(a.threads), str(start + hf_count), str(start)], env=env)
            medians["hf"].append(json.loads(out.strip().splitlines()[-1])["median_after_first"])
    return medians


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=os.path.join(ROOT, "target", "bench", "gpt2_load"))
    ap.add_argument("--tokens", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--warm", type=int, default=0,
                    help="also time 20 forwards after WARM forwards in one process per side (tn's JIT compiled, as in a long REPL session)")
    add_model_arguments(ap)
    a = ap.parse_args()

    directory = os.path.abspath(a.dir)
    if not model_matches(directory, a):
        write_model_in_child(directory, a, "F32")
    print(f"model: {a.layers} layers, d_model {a.d_model}, {a.heads} heads, vocab {a.vocab}, context {a.context}, float32 "
          f"({directory}); forward of {a.tokens} tokens, {a.threads} threads")
    # Which OpenBLAS kernels tn's GEMMs run: an OPENBLAS_CORETYPE in the environment is kept (the
    # launcher picks SkylakeX on AVX-512 AMD processors only when none is set). torch's matrix
    # products do not use OpenBLAS, so this setting slows tn's side only.
    core = os.environ.get("OPENBLAS_CORETYPE")
    print(f"tn's OpenBLAS kernels: OPENBLAS_CORETYPE={core} (set in the environment)" if core
          else "tn's OpenBLAS kernels: as the tn launcher picks them (OPENBLAS_CORETYPE not set)")

    weights = os.path.join(directory, "model.safetensors")
    scripts = {}
    for name, forwards in (("load", 0), ("one", 1), ("two", 2), ("ten", 10)):
        path = os.path.join(directory, f"forward_{name}.tn")
        with open(path, "w") as f:
            f.write(f'import transformer\nm = load_gpt2("{weights}")\n')
            if forwards > 2:  # one variable, as a loop in a study keeps it
                f.write(f"for k in range({forwards}) {{\n    y = detach(forward(m, range({a.tokens})))\n}}\n")
            for k in range(forwards if forwards <= 2 else 0):
                f.write(f"y{k} = detach(forward(m, range({a.tokens})))\n")
            f.write("print(m.n_layers)\n")
        scripts[name] = path
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads), OPENBLAS_NUM_THREADS=str(a.threads))
    launchers = {"tn": [os.path.join(ROOT, "tn"), "run"]}
    if a.before:
        launchers["before"] = [os.path.abspath(a.before), "run"]
    for cmd in launchers.values():  # build the jar (if stale) outside the timed runs
        subprocess.run(cmd + [scripts["load"]], check=True, stdout=subprocess.DEVNULL, env=env)

    hf = hf_available()
    if not hf:
        print("torch/transformers not installed: Hugging Face's side is skipped (pip install torch transformers)")
    rows = {f"{who}_{k}": [] for who in launchers for k in ("first", "second")}
    rows.update({"hf_first": [], "hf_second": []})
    gb = 1024 ** 3
    memory = []
    for who, cmd in launchers.items():
        one, ten = run_measured(cmd + [scripts["one"]], env=env)[1], run_measured(cmd + [scripts["ten"]], env=env)[1]
        memory.append(f"{who} {one / gb:.2f} GB after one forward, {ten / gb:.2f} GB after ten")
    if hf:
        one = run_measured([sys.executable, "-c", HF_SCRIPT, directory, str(a.tokens), str(a.threads), "1"], env=env)[1]
        ten = run_measured([sys.executable, "-c", HF_SCRIPT, directory, str(a.tokens), str(a.threads), "10"], env=env)[1]
        memory.append(f"HF {one / gb:.2f} GB after one forward, {ten / gb:.2f} GB after ten")
    weights_gb = os.path.getsize(weights) / gb
    print(f"peak RSS (weights {weights_gb:.2f} GB): " + " | ".join(memory), flush=True)
    scripts.pop("ten")
    for r in range(a.repeat):
        parts = []
        for who, cmd in launchers.items():
            t = {name: run_measured(cmd + [path], env=env)[0] for name, path in scripts.items()}
            first, second = t["one"] - t["load"], t["two"] - t["one"]
            rows[f"{who}_first"].append(first)
            rows[f"{who}_second"].append(second)
            parts.append(f"{who} forward {first:5.2f} s, again {second:5.2f} s (load alone {t['load']:4.2f} s)")
        if hf:
            _, _, out = run_measured([sys.executable, "-c", HF_SCRIPT, directory, str(a.tokens), str(a.threads)], env=env)
            res = json.loads(out.strip().splitlines()[-1])
            rows["hf_first"].append(res["first"])
            rows["hf_second"].append(res["second"])
            parts.append(f"HF forward {res['first']:5.2f} s, again {res['second']:5.2f} s")
        print(f"run {r + 1}: " + " | ".join(parts), flush=True)

    # Steady state, measured inside one process on each side: the differences of whole runs above
    # carry the noise of two process start-ups each. tn: the REPL's `:time` (median of its runs
    # after the first); HF: the median of forwards 2 to 11.
    steady = in_process(a, launchers, hf, weights, directory, env, skip=0, count=6, hf_count=10)
    print("steady state (in-process medians, each of " + str(a.repeat) + " processes): "
          + " | ".join(f"{who} " + ", ".join(f"{t * 1000:.0f} ms" for t in v) for who, v in steady.items() if v))
    if hf:
        for who in launchers:
            ratio = statistics.median(steady[who]) / statistics.median(steady["hf"])
            print(f"steady-state ratio {who}/HF: {ratio:.2f}x (goal <= 1.0: {'met' if ratio <= 1.0 else 'missed'})")

    # Warm: a long session. tn's first forwards run while its JIT compiles the interpreter's code on
    # the second core; after WARM forwards that is done. Both sides: the median of forwards WARM + 3
    # to WARM + 22 (tn: the second `:time`'s runs after its first).
    if a.warm > 0:
        warm = in_process(a, launchers, hf, weights, directory, env, skip=a.warm, count=20, hf_count=20)
        print(f"warm (median of forwards {a.warm + 3} to {a.warm + 22} in one process, each of {a.repeat} processes): "
              + " | ".join(f"{who} " + ", ".join(f"{t * 1000:.0f} ms" for t in v) for who, v in warm.items() if v))
        if hf:
            for who in launchers:
                print(f"warm ratio {who}/HF: {statistics.median(warm[who]) / statistics.median(warm['hf']):.2f}x")

    med = {k: statistics.median(v) for k, v in rows.items() if v}
    for who in launchers:
        print(f"median: {who} forward {med[who + '_first']:.2f} s, again {med[who + '_second']:.2f} s")
    if hf:
        print(f"median: HF forward {med['hf_first']:.2f} s, again {med['hf_second']:.2f} s")
        for who in launchers:
            ratio = med[who + "_second"] / med["hf_second"]
            print(f"ratio {who}/HF: forward {med[who + '_first'] / med['hf_first']:.2f}x, again {ratio:.2f}x "
                  f"(goal <= 1.0: {'met' if ratio <= 1.0 else 'missed'})")


if __name__ == "__main__":
    main()
