#!/usr/bin/env python3
"""Benchmark: one amplitude <0...0|C|0...0> of a random circuit (default 30 qubits, depth 12:
layers of random one-qubit gates and fSim gates on a brickwork, complex128), tn against numpy's
einsum along the same contraction path, side by side in the same run.

This script writes the circuit's gates to an .npz and a tn script that loads them on the wire
legs w[..] and contracts them as one network; `tn plan --json` gives tn's path (sliced if the
memory limit demands: then both sides run every slice); numpy runs that path step by step with
numpy.einsum (one call per pairwise step: einsum's subscripts name at most 52 legs, and the
network has hundreds). tn is timed by its REPL's `:time` (the median of repetitions of the
statement, the plan cached), numpy by the median of as many runs; the two alternate, ROUNDS
times, and the ratio is taken per round. Both amplitudes are checked against each other.

usage: src/bench/circuit_amplitude.py [n] [depth] [rounds]     (run from the repository root)
numpy is only a yardstick here: tn itself never uses Python.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TN = os.path.join(HERE, "..", "..", "tn")


def fsim(theta, phi):
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[1, 0, 0, 0], [0, c, -1j * s, 0], [0, -1j * s, c, 0], [0, 0, 0, np.exp(-1j * phi)]])


def haar(rng):
    z = (rng.standard_normal((2, 2)) + 1j * rng.standard_normal((2, 2))) / np.sqrt(2)
    q, r = np.linalg.qr(z)
    return q * (np.diag(r) / abs(np.diag(r)))


def circuit(n, depth, seed=0):
    """The tensors and their wire legs: gate k on qubits (a, b) maps wires (at[a], at[b]) to new ones."""
    rng = np.random.default_rng(seed)
    at = list(range(n))
    nxt = n
    tensors = [(np.array([1, 0], dtype=complex), [k]) for k in range(n)]
    for layer in range(depth):
        for k in range(n):
            tensors.append((haar(rng), [nxt, at[k]]))
            at[k] = nxt
            nxt += 1
        for a in range(layer % 2, n - 1, 2):
            g = fsim(rng.uniform(0, 2 * np.pi), rng.uniform(0, 2 * np.pi)).reshape(2, 2, 2, 2)
            tensors.append((g, [nxt, nxt + 1, at[a], at[a + 1]]))
            at[a], at[a + 1] = nxt, nxt + 1
            nxt += 2
    tensors += [(np.array([1, 0], dtype=complex), [at[k]]) for k in range(n)]
    return tensors, nxt


def write(tensors, wires, folder):
    npz = os.path.join(folder, "gates.npz")
    np.savez(npz, **{f"t{k}": t for k, (t, _) in enumerate(tensors)})
    lines = [f"leg w[{wires}] = 2", f'F = "{npz}"', "ops = tuple()"]
    for k, (_, legs) in enumerate(tensors):
        lines.append(f"ops = append(ops, load(F, {', '.join(f'w[{l}]' for l in legs)}, key=\"t{k}\"))")
    lines.append("a = network(ops)")
    script = os.path.join(folder, "circuit.tn")
    with open(script, "w") as f:
        f.write("\n".join(lines) + "\n")
    return script


def tn_plan(script):
    out = subprocess.run([TN, "plan", "--json", script], capture_output=True, text=True, check=True).stdout
    plans = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return plans[-1]


def tn_time(script, repeats):
    """tn's median seconds for the contraction (REPL :time, after the script is loaded) and its value."""
    commands = f":load {script}\n:time -n {repeats} b = network(ops)\nprint(real(a), imag(a))\n"
    out = subprocess.run([TN, "repl"], input=commands, capture_output=True, text=True, check=True).stdout
    seconds, value = None, None
    for line in out.splitlines():
        if "median" in line or line.strip().endswith(" s") or " ms" in line or " µs" in line:
            seconds = parse_seconds(line) if seconds is None else seconds
        parts = line.split()
        if len(parts) == 2:
            try:
                value = complex(float(parts[0]), float(parts[1]))
            except ValueError:
                pass
    return seconds, value, out


def parse_seconds(line):
    for unit, scale in (("µs", 1e-6), ("us", 1e-6), ("ms", 1e-3), ("s", 1.0)):
        words = line.replace(",", " ").split()
        for k, w in enumerate(words):
            if w == unit and k > 0:
                try:
                    return float(words[k - 1]) * scale
                except ValueError:
                    continue
    return None


def numpy_run(tensors, path, sliced, sizes):
    """The amplitude along tn's path: einsum per pairwise step, each slice of the sliced legs in turn."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = 0
    slices = [dict()]
    for leg in sliced:
        slices = [dict(s, **{leg: v}) for s in slices for v in range(2)]
    for fixed in slices:
        ops = []
        for t, legs in tensors:
            index = tuple(fixed.get(l, slice(None)) for l in legs)
            ops.append((t[index], [l for l in legs if l not in fixed]))
        for i, j in path:
            (x, lx), (y, ly) = ops[i], ops[j]
            ops = [o for k, o in enumerate(ops) if k not in (i, j)]
            rest = set(l for _, ls in ops for l in ls)
            out = [l for l in dict.fromkeys(lx + ly) if l in rest]
            names = {l: letters[k] for k, l in enumerate(dict.fromkeys(lx + ly))}
            spec = "".join(names[l] for l in lx) + "," + "".join(names[l] for l in ly) + "->" + "".join(names[l] for l in out)
            ops.append((np.einsum(spec, x, y), out))
        total += ops[0][0]
    return complex(total)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    tensors, wires = circuit(n, depth)
    with tempfile.TemporaryDirectory() as folder:
        script = write(tensors, wires, folder)
        plan = tn_plan(script)
        path = [tuple(p) for p in plan["path"]]
        sliced = plan.get("sliced_legs", []) or []
        print(f"{n} qubits, depth {depth}: {len(tensors)} tensors, plan {plan['method']}: {plan['cost']:.3g} complex multiply-adds, "
              f"largest intermediate {plan['largest_intermediate']:.0f} entries, {len(sliced)} sliced legs")
        sliced_wires = [int(str(s).split("[")[1].rstrip("]")) for s in sliced] if sliced else []
        ratios = []
        for r in range(rounds):
            start = time.perf_counter()
            value = numpy_run(tensors, path, sliced_wires, None)
            once = time.perf_counter() - start
            repeats = max(3, min(50, int(5 / max(once, 1e-3))))
            times = []
            for _ in range(repeats):
                s = time.perf_counter()
                numpy_run(tensors, path, sliced_wires, None)
                times.append(time.perf_counter() - s)
            np_seconds = statistics.median(times)
            tn_seconds, tn_value, out = tn_time(script, repeats)
            if tn_seconds is None:
                print(out)
                raise SystemExit("could not read tn's :time output")
            ratios.append(tn_seconds / np_seconds)
            print(f"round {r + 1}: tn {tn_seconds * 1e3:.1f} ms, numpy einsum (same path) {np_seconds * 1e3:.1f} ms,"
                  f" tn / numpy = {tn_seconds / np_seconds:.2f}   amplitude {value:.6g} (tn {tn_value:.6g})")
            if tn_value is not None:
                # tn prints 6 significant digits
                assert abs(tn_value - value) <= 1e-5 * abs(value) + 1e-12, (tn_value, value)
        print(f"median tn / numpy over {rounds} rounds: {statistics.median(ratios):.2f} (shared machine)")


if __name__ == "__main__":
    main()
