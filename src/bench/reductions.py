"""numpy's side of tn's ReductionBench (which starts this and takes turns with it).

Reads one command per line: an operation name (sum, norm, colsum, softmax, layernorm); answers
the median time in seconds of a block of runs on a float32 10^4 x 10^4 standard normal array,
the same size as tn's. numpy is only a yardstick: tn never uses Python.
"""
import json
import statistics
import sys
import time

import numpy as np

x = np.random.default_rng(1).standard_normal((10_000, 10_000), dtype=np.float32)


def softmax(a):
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def layernorm(a):
    m = a.mean(axis=1, keepdims=True)
    return (a - m) / np.sqrt(a.var(axis=1, keepdims=True) + 1e-5)


OPS = {
    "sum": lambda: x.sum(),
    "norm": lambda: np.linalg.norm(x),
    "colsum": lambda: x.sum(axis=0),
    "softmax": lambda: softmax(x),
    "layernorm": lambda: layernorm(x),
}

for line in sys.stdin:
    fn = OPS[line.strip()]
    times = []
    for _ in range(3):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    print(json.dumps({"seconds": statistics.median(times)}), flush=True)
