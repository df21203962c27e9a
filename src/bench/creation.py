#!/usr/bin/env python3
"""numpy's side of tn's random-tensor benchmark (CreationBench starts this and takes turns with it).

Reads one JSON command per line, makes one n x n array the way the command says, answers
{"seconds": time}; the array is freed before the answer, as tn frees its tensor after timing.
Commands: {"op": "default_rng" | "randn" | "default_rng_random", "dtype": "float32" | "float64", "n": n}.
  default_rng         np.random.default_rng(1).standard_normal((n, n), dtype=dtype)
  randn               np.random.randn(n, n) (float64; .astype(np.float32) for float32)
  default_rng_random  np.random.default_rng(1).random((n, n), dtype=dtype)

numpy is only a yardstick here: tn itself never uses Python.
"""
import json
import sys
import time

import numpy as np


def make(op, dtype, n):
    dt = np.float32 if dtype == "float32" else np.float64
    if op == "default_rng":
        return np.random.default_rng(1).standard_normal((n, n), dtype=dt)
    if op == "randn":
        x = np.random.randn(n, n)
        return x.astype(np.float32) if dt is np.float32 else x
    if op == "default_rng_random":
        return np.random.default_rng(1).random((n, n), dtype=dt)
    raise ValueError("unknown op " + op)


def main():
    np.random.seed(1)
    for line in sys.stdin:
        cmd = json.loads(line)
        start = time.perf_counter()
        x = make(cmd["op"], cmd["dtype"], cmd["n"])
        seconds = time.perf_counter() - start
        del x
        print(json.dumps({"seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
