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

Execution: `compare.py OUT --exec-round R` runs numpy.einsum with tn's paths on float32 data for
the networks tn's ExecBench timed in round R; src/bench/run alternates the two sides for several
rounds, each in a fresh process, and the report prints tn's time over numpy's for the best and the
median round of each (below 1 means tn is faster).

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
    that many blocks and the smallest block median is returned (as tn's ExecBench does)."""
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


def exec_round(bench, rnd):
    """Times numpy.einsum on the networks of tn's execution round `rnd`, with tn's paths, and
    writes numpy's figures for that round next to tn's (exec/np_<rnd>.jsonl)."""
    folder = os.path.join(bench, "exec")
    with open(os.path.join(folder, f"tn_{rnd}.jsonl")) as f:
        rows = [json.loads(line) for line in f]
    rng = np.random.default_rng(1)
    out = []
    for r in rows:
        inputs, output, sizes = load(os.path.join(bench, "networks", r["network"] + ".json"))
        labels = {}
        for leg in [l for t in inputs for l in t] + output:
            labels.setdefault(leg, len(labels))
        ops = [rng.standard_normal([sizes[l] for l in t]).astype(np.float32) for t in inputs]
        args = []
        for op, t in zip(ops, inputs):
            args += [op, [labels[l] for l in t]]
        args.append([labels[l] for l in output])
        path = ["einsum_path"] + [tuple(p) for p in r["path"]]
        t_np, _ = median_time(lambda: np.einsum(*args, optimize=path), blocks=5)
        n = int(max(64, min(2048, round(r["cost"] ** (1 / 3)))))
        a = np.full((n, n), 0.5, dtype=np.float32)
        t_gemm, _ = median_time(lambda: a @ a, blocks=5)
        out.append({"network": r["network"], "np_ms": t_np * 1e3, "np_gemm_gflops": 2 * n ** 3 / t_gemm / 1e9})
    with open(os.path.join(folder, f"np_{rnd}.jsonl"), "w") as f:
        for o in out:
            f.write(json.dumps(o) + "\n")


def execution(bench):
    """The execution table over every round: each side's best and median time across rounds
    (each round a fresh process per side, the two sides alternating)."""
    folder = os.path.join(bench, "exec")
    rounds = sorted(f[3:-6] for f in os.listdir(folder) if f.startswith("np_")) if os.path.isdir(folder) else []
    if not rounds:
        return
    tn, np_ = {}, {}
    for rnd in rounds:
        for side, table in (("tn", tn), ("np", np_)):
            with open(os.path.join(folder, f"{side}_{rnd}.jsonl")) as f:
                for line in f:
                    r = json.loads(line)
                    table.setdefault(r["network"], []).append(r)
    print()
    print(f"Execution, float32, same path in both, {len(rounds)} rounds (fresh processes, tn and numpy alternating);")
    print("ratio = tn time / numpy.einsum time (<= 1: tn at least as fast), of the best round and of the median round")
    print(f"{'network':22} {'tn best':>9} {'tn med':>9} {'np best':>9} {'np med':>9} {'ratio best':>10} {'ratio med':>10}"
          f" {'tn GFLOP/s':>11} {'np GFLOP/s':>11} {'tn GEMM':>8} {'np GEMM':>8}")
    for name, runs in tn.items():
        if name not in np_:
            continue
        t = [r["tn_ms"] for r in runs]
        n = [r["np_ms"] for r in np_[name]]
        cost = runs[0]["cost"]
        tb, tm, nb, nm = min(t), statistics.median(t), min(n), statistics.median(n)
        print(f"{name:22} {tb:9.3f} {tm:9.3f} {nb:9.3f} {nm:9.3f} {tb / nb:10.2f} {tm / nm:10.2f}"
              f" {2 * cost / tb / 1e6:11.1f} {2 * cost / nb / 1e6:11.1f}"
              f" {max(r['gemm_gflops'] for r in runs):8.1f} {max(r['np_gemm_gflops'] for r in np_[name]):8.1f}")


if __name__ == "__main__":
    bench = sys.argv[1] if len(sys.argv) > 1 else "target/bench"
    if len(sys.argv) > 3 and sys.argv[2] == "--exec-round":
        exec_round(bench, sys.argv[3])
    else:
        planning(bench)
        execution(bench)
