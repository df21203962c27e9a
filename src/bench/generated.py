#!/usr/bin/env python3
"""opt_einsum's side of tn's generated-network benchmark (src/bench/generated runs both in turn).

Reads the networks GeneratedBench wrote (OUT/generated/*.json, opt_einsum's format: inputs,
output, size_dict), builds each as opt_einsum would be given it (one subscript letter per leg,
shapes from size_dict) and times opt_einsum.contract_path with its 'greedy' optimizer (median of
repeats), then prints its cost (log10 of multiply-adds, opt_einsum's own count halved so that it
counts as tn does: one multiply-add per entry of each pairwise product) and its largest
intermediate. With tn's table (the lines printed by GeneratedBench), prints the ratio of
planning times and costs. numpy and opt_einsum are only a yardstick: tn never uses Python.
"""
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import opt_einsum as oe


def load(path):
    with open(path) as f:
        d = json.load(f)
    return [list(x) for x in d["inputs"]], list(d["output"]), dict(d["size_dict"])


def plan(inputs, output, sizes):
    names = sorted(sizes)
    sym = {n: oe.get_symbol(k) for k, n in enumerate(names)}
    eq = ",".join("".join(sym[l] for l in x) for x in inputs) + "->" + "".join(sym[l] for l in output)
    shapes = [tuple(sizes[l] for l in x) for x in inputs]
    times = []
    info = None
    reps = 3
    for _ in range(reps):
        start = time.perf_counter()
        _, info = oe.contract_path(eq, *shapes, shapes=True, optimize="greedy")
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, info


def main():
    out = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "target/bench", "generated")
    tn = {}
    if len(sys.argv) > 2:
        for line in open(sys.argv[2]):
            parts = line.split()
            if len(parts) == 8 and parts[0] != "network":
                tn[parts[0]] = (float(parts[4]), float(parts[5]))
    print(f"opt_einsum {oe.__version__} greedy, numpy {np.__version__}")
    print(f"{'network':28} {'tensors':>8} {'plan ms':>10} {'log10 cost':>10} {'largest':>12}   tn/oe plan time, tn-oe log10 cost")
    for name in sorted(os.listdir(out)):
        if not name.endswith(".json"):
            continue
        key = name[:-5]
        inputs, output, sizes = load(os.path.join(out, name))
        ms, info = plan(inputs, output, sizes)
        cost = math.log10(max(1.0, float(info.opt_cost) / 2))
        largest = float(info.largest_intermediate)
        ratio = ""
        if key in tn:
            ratio = f"   {tn[key][0] / ms:.2f}x, {tn[key][1] - cost:+.2f}"
        print(f"{key:28} {len(inputs):8d} {ms:10.1f} {cost:10.2f} {largest:12.3g}{ratio}")


if __name__ == "__main__":
    main()
