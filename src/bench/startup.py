#!/usr/bin/env python3
"""Start-up times: tn's commands against IPython's, side by side in turns.

    python3 src/bench/startup.py [--repeat 5]

Times, each in a fresh process and in turns (tn check, tn repl, tn draw, ipython, ...):
  - `tn check examples/02_products.tn` (no numeric backend),
  - `tn repl` given `:quit` on standard input (start-up to the first prompt, plus leaving),
  - `tn draw examples/draw_ladder.tn -d TMP` (checks the script and writes its diagrams),
  - `ipython -c 'import numpy'` (the Python user's start-up), where IPython is installed; else
    `python3 -c 'import numpy'`, and says so.
Prints every run, the medians and the ratios tn / IPython. Timings are only comparable within one
run: the machine may be shared.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def timed(cmd, stdin=None):
    start = time.perf_counter()
    p = subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    seconds = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr.decode()}")
    return seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    tn = os.path.join(ROOT, "tn")
    out = tempfile.mkdtemp(prefix="tn-startup-")
    python = ["ipython", "-c", "import numpy"] if shutil.which("ipython") else [sys.executable, "-c", "import numpy"]
    cases = {
        "tn check": ([tn, "check", "examples/02_products.tn"], None),
        "tn repl": ([tn, "repl"], b":quit\n"),
        "tn draw": ([tn, "draw", "examples/draw_ladder.tn", "-d", out], None),
        " ".join(python[:2]) + " 'import numpy'": (python, None),
    }
    timed(cases["tn check"][0])  # builds the jar if stale, outside the timed runs
    rows = {name: [] for name in cases}
    for r in range(a.repeat):
        for name, (cmd, stdin) in cases.items():
            rows[name].append(timed(cmd, stdin))
        print(f"run {r + 1}: " + " | ".join(f"{n} {rows[n][-1]:.2f} s" for n in cases), flush=True)
    shutil.rmtree(out, ignore_errors=True)
    med = {n: statistics.median(v) for n, v in rows.items()}
    reference = list(cases)[-1]
    print("median: " + " | ".join(f"{n} {med[n]:.2f} s" for n in cases))
    for n in list(cases)[:-1]:
        print(f"ratio {n} / {reference}: {med[n] / med[reference]:.2f}x (goal: under 0.5 s: {'met' if med[n] < 0.5 else 'missed'})")


if __name__ == "__main__":
    main()
