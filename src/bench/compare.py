#!/usr/bin/env python3
"""The numpy side of tn's benchmarks, run in the same benchmark run (see src/bench/run).

Planning: plans every network that tn's PlanBench wrote (target/bench/networks/*.json) with
numpy's einsum_path algorithms ('greedy', and 'optimal' where it finishes), timed the same way
(median of repeats after a warm-up), and prints costs under tn's cost model (log10 of
multiply-adds, recomputed here independently from each path) and the ratio of planning times.
Times are those of numpy.einsum_path itself, as a user calls it, where the network has at most
the 52 legs einsum subscripts can name; beyond that numpy's path functions are timed directly on
index sets (as einsum_path calls them, with its default memory cap: the largest input or output)
and the time is marked *. Costs always come from those path functions' paths.

Execution: `compare.py OUT --serve` is numpy's side of tn's ExecBench, which starts it and takes
turns with it: numpy.einsum with tn's paths on float32 data, timed block by block next to tn's
blocks, so both see the same machine (see ExecBench for why).

numpy is only a yardstick here: tn itself never uses Python.
"""
import json
import math
import os
import statistics
import sys
import time

import numpy as np

try:
    from numpy._core import einsumfunc as ef
except ImportError:  # numpy 1.x
    from numpy.core import einsumfunc as ef


def load(path):
    with open(path) as f:
        d = json.load(f)
    return [list(x) for x in d["inputs"]], list(d["output"]), dict(d["size_dict"])


def tn_cost(inputs, output, sizes, path):
    """tn's cost model, replayed independently: a step costs the product of the sizes of all
    legs on its operands; legs on one input only and not in the output are summed out first."""
    ops = [set(x) for x in inputs]
    if len(ops) > 1:
        counts = {}
        for o in ops:
            for leg in o:
                counts[leg] = counts.get(leg, 0) + 1
        ops = [set(leg for leg in o if counts[leg] > 1 or leg in output) for o in ops]
    total = 0.0
    for step in path:
        chosen = [ops[i] for i in step]
        rest = [o for j, o in enumerate(ops) if j not in step]
        union = set().union(*chosen)
        needed = set(output).union(*rest) if rest else set(output)
        total += math.prod(sizes[leg] for leg in union)
        ops = rest + [union & needed]
    return total


def median_time(fn, budget=20.0, blocks=1):
    """Median time of repeated runs after one warm-up run; with blocks > 1 the runs are timed in
    that many blocks and the smallest block median is returned (as tn's PlanBench does)."""
    start = time.perf_counter()
    result = fn()
    first = time.perf_counter() - start
    if first > budget:
        return first, result
    reps = 101 if first < 0.001 else 21 if first < 0.01 else 5 if first < 0.2 else 3 if first < 2 else 1
    if first >= 0.05:
        blocks = 1
    if blocks == 1:
        reps = 7 if first < 0.05 else 3 if first < 2 else 1
    best = None
    for _ in range(blocks):
        times = []
        for _ in range(reps):
            s = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - s)
        m = statistics.median(times)
        best = m if best is None else min(best, m)
    return best, result


def numpy_plan(inputs, output, sizes, method):
    input_sets = [set(x) for x in inputs]
    output_set = set(output)
    max_size = max(math.prod(sizes[l] for l in t) for t in inputs + [output])
    func = ef._greedy_path if method == "greedy" else ef._optimal_path
    return lambda: func(input_sets, output_set, sizes, max_size)


def public_einsum_path(inputs, output, sizes, method):
    """numpy.einsum_path itself (parsing, path, and its report), as a user calls it, on
    zero-stride operands of the network's shapes; None when the network has more than the 52
    legs einsum subscripts can name."""
    legs = sorted({l for t in inputs for l in t} | set(output))
    if len(legs) > 52:
        return None
    letters = dict(zip(legs, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    eq = ",".join("".join(letters[l] for l in t) for t in inputs) + "->" + "".join(letters[l] for l in output)
    base = np.empty(1)
    ops = [np.lib.stride_tricks.as_strided(base, shape=[sizes[l] for l in t], strides=[0] * len(t)) for t in inputs]
    return lambda: np.einsum_path(eq, *ops, optimize=method)[0]


def planning(bench):
    tn = {}
    with open(os.path.join(bench, "tn_plans.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            tn[(r["network"], r["method"])] = r
    names = sorted({k[0] for k in tn}, key=lambda n: list(tn).index((n, "greedy")))
    print()
    print("Planning, log10 multiply-adds (tn's cost model) and median planning time in ms; speed-up = numpy time / tn time")
    print("(np ms: numpy.einsum_path(optimize=...) itself where the network has at most 52 legs, else numpy's internal")
    print(" path function, marked *, which einsum_path calls; np optimal where it has at most 9 tensors and finishes in")
    print(" 10 s; tn's time is Planner.plan, the whole plan)")
    head = (f"{'network':36} {'tn greedy':>10} {'np greedy':>10} {'tn hyper':>9} {'tn optimal':>10} {'np optimal':>10}"
            f" {'tn greedy ms':>13} {'np greedy ms':>13} {'speed-up':>9} {'tn opt ms':>10} {'np opt ms':>10} {'speed-up':>9}")
    print(head)
    for name in names:
        inputs, output, sizes = load(os.path.join(bench, "networks", name + ".json"))
        g = tn[(name, "greedy")]
        h = tn.get((name, "hyper"))
        o = tn.get((name, "optimal"))
        t_np, path = median_time(numpy_plan(inputs, output, sizes, "greedy"), blocks=5)
        np_greedy = math.log10(tn_cost(inputs, output, sizes, path)) if path else float("nan")
        public = public_einsum_path(inputs, output, sizes, "greedy")
        mark = ""
        if public is not None:
            t_np, _ = median_time(public, blocks=5)
        else:
            mark = "*"
        np_opt, opt_ms, opt_speed = "-", "-", "-"
        if len(inputs) <= 9:
            t_opt, opath = median_time(numpy_plan(inputs, output, sizes, "optimal"), budget=10)
            if opath:
                np_opt = f"{math.log10(tn_cost(inputs, output, sizes, opath)):.2f}"
                public = public_einsum_path(inputs, output, sizes, "optimal")
                omark = "*"
                if public is not None and t_opt < 10:
                    t_opt, _ = median_time(public, budget=10, blocks=5)
                    omark = ""
                opt_ms = f"{t_opt * 1e3:.3f}{omark}"
                if o:
                    opt_speed = f"{t_opt * 1e3 / o['median_ms']:.1f}x"
        row = [
            f"{math.log10(g['cost']):.2f}",
            f"{np_greedy:.2f}",
            f"{math.log10(h['cost']):.2f}" if h else "-",
            f"{math.log10(o['cost']):.2f}" if o else "-",
            np_opt,
            f"{g['median_ms']:.3f}",
            f"{t_np * 1e3:.3f}{mark}",
            f"{t_np * 1e3 / g['median_ms']:.1f}x",
            f"{o['median_ms']:.3f}" if o else "-",
            opt_ms,
            opt_speed,
        ]
        print(f"{name:36} {row[0]:>10} {row[1]:>10} {row[2]:>9} {row[3]:>10} {row[4]:>10} {row[5]:>13} {row[6]:>13} {row[7]:>9}"
              f" {row[8]:>10} {row[9]:>10} {row[10]:>9}")


def einsum_call(bench, network, path):
    """numpy.einsum on the network's inputs (standard normal float32, fixed seed) along `path`."""
    inputs, output, sizes = load(os.path.join(bench, "networks", network + ".json"))
    labels = {}
    for leg in [l for t in inputs for l in t] + output:
        labels.setdefault(leg, len(labels))
    rng = np.random.default_rng(1)
    args = []
    for t in inputs:
        args += [rng.standard_normal([sizes[l] for l in t]).astype(np.float32), [labels[l] for l in t]]
    args.append([labels[l] for l in output])
    optimize = ["einsum_path"] + [tuple(p) for p in path]
    return lambda: np.einsum(*args, optimize=optimize)


def block(fn, seconds):
    """The median time of the runs in a block of about `seconds` (at least 3 runs), after a tenth
    of a second of untimed runs, as tn's ExecBench times its side."""
    start = time.perf_counter()
    while time.perf_counter() - start < 0.1:
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < seconds:
        s = time.perf_counter()
        fn()
        times.append(time.perf_counter() - s)
    return statistics.median(times)


def serve(bench):
    """numpy's side of tn's execution benchmark (ExecBench starts this and takes turns with it):
    reads one JSON command per line, times a block, answers {"seconds": median run time}.
    Commands: {"op": "einsum", "network": name, "plan": {"path": ...}, "seconds": s} and
    {"op": "gemm", "n": n, "seconds": s} (a float32 n x n product)."""
    calls = {}
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "einsum":
            name = cmd["network"]
            if name not in calls:
                calls[name] = einsum_call(bench, name, cmd["plan"]["path"])
            fn = calls[name]
        else:
            a = np.full((cmd["n"], cmd["n"]), 0.5, dtype=np.float32)
            fn = lambda: a @ a
        print(json.dumps({"seconds": block(fn, cmd["seconds"])}), flush=True)


if __name__ == "__main__":
    bench = sys.argv[1] if len(sys.argv) > 1 else "target/bench"
    if len(sys.argv) > 2 and sys.argv[2] == "--serve":
        serve(bench)
    else:
        planning(bench)
