#!/usr/bin/env python3
"""Generates the .npy/.npz fixtures for tn's tn.io tests, and expected.txt describing them.

Run from anywhere with python3 and numpy:  python3 make_fixtures.py
The outputs are checked in; the Java tests never run Python.

expected.txt has one line per array:
    <file>[:<npz key>] | <dtype> | <shape, comma separated> | <values in C order>
Values are Python reprs of the array converted to float64, which Java's Double.parseDouble reads
back exactly (repr is the shortest string that round-trips), with inf/nan spelled as Java spells them.
Contents are deterministic, so regenerating gives the same files (npz timestamps aside).
"""
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
lines = []


def ramp(shape, dtype, scale=1.0, offset=0.0):
    """0, 1, 2, ... in C order, scaled and shifted: distinct values that show any misordering."""
    n = int(np.prod(shape, dtype=np.int64))
    return (np.arange(n, dtype=np.float64) * scale + offset).reshape(shape).astype(dtype)


def fmt(v):
    if np.isnan(v):
        return "NaN"
    if np.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(float(v))


def record(label, arr):
    # The expected values come from numpy itself, independent of how the file stores them.
    dtype = arr.dtype.newbyteorder("=").name
    values = " ".join(fmt(v) for v in np.asarray(arr, dtype=np.float64).ravel(order="C"))
    lines.append(f"{label} | {dtype} | {','.join(str(d) for d in arr.shape)} | {values}")


def save(name, arr, version=None):
    path = os.path.join(HERE, name)
    if version is None:
        np.save(path, arr)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, arr, version=version)
    back = np.load(path)
    assert back.dtype == arr.dtype and back.shape == arr.shape
    record(name, arr)


# C order, the common case, across element types and ranks.
save("f32_c_2x3.npy", ramp((2, 3), np.float32, 0.5, -1.25))
save("f64_c_2x3x4.npy", ramp((2, 3, 4), np.float64, 1 / 3, -4.0))
save("f64_rank1.npy", ramp((5,), np.float64, 0.1))
save("f64_scalar.npy", np.array(3.5))
save("f32_scalar.npy", np.array(-0.1, dtype=np.float32))
save("i8.npy", np.array([-128, -1, 0, 1, 127], dtype=np.int8))
save("i16.npy", np.array([-32768, -2, 0, 3, 32767], dtype=np.int16))
save("i32_2x3.npy", np.array([[-2147483648, -7, 0], [1, 65536, 2147483647]], dtype=np.int32))
save("i64.npy", np.array([-(2**63), -1, 0, 2**53, 2**53 + 1, 2**63 - 1], dtype=np.int64))
save("u8_16x16.npy", np.arange(256, dtype=np.uint8).reshape(16, 16))
save("u16.npy", np.array([0, 1, 255, 256, 65535], dtype=np.uint16))
save("u32.npy", np.array([0, 1, 2**31, 2**32 - 1], dtype=np.uint32))
save("u64.npy", np.array([0, 1, 2**53 + 1, 2**63, 2**64 - 1], dtype=np.uint64))
save("bool_2x2.npy", np.array([[True, False], [False, True]]))
# float16 specials: signed zero, smallest subnormal, largest subnormal, largest normal, inf, nan.
save("f16.npy", np.array([0.0, -0.0, 2**-24, 1023 * 2**-24, 1.5, -2.25, 65504.0,
                          np.inf, -np.inf, np.nan, 0.1], dtype=np.float16))

# Fortran order: np.save keeps it and writes fortran_order True.
save("f64_fortran_3x4.npy", np.asfortranarray(ramp((3, 4), np.float64, 1.0, 1.0)))
save("f32_fortran_2x3x4.npy", np.asfortranarray(ramp((2, 3, 4), np.float32, 0.25)))
save("i32_fortran_2x3.npy", np.asfortranarray(ramp((2, 3), np.int32, -3.0, 5.0)))

# Big-endian data.
save("f64_big_2x3.npy", ramp((2, 3), ">f8", 1 / 7, -0.5))
save("f32_big_3.npy", ramp((3,), ">f4", 1.5, 0.1))
save("i32_big_4.npy", np.array([-2, -1, 1, 2**30], dtype=">i4"))
save("u16_big_fortran_2x3.npy", np.asfortranarray(ramp((2, 3), ">u2", 1000.0, 1.0)))
save("f16_big.npy", np.array([1.0, -0.5, 3.140625], dtype=">f2"))

# Zero-size arrays.
save("f32_empty_0x3.npy", np.zeros((0, 3), dtype=np.float32))
save("f64_empty_0.npy", np.zeros((0,), dtype=np.float64))
save("f64_empty_fortran_2x0.npy", np.asfortranarray(np.zeros((2, 0))))

# Header format versions 2.0 and 3.0 (numpy only picks them for huge headers, so force them).
save("f64_v2_2x2.npy", ramp((2, 2), np.float64, 2.5), version=(2, 0))
save("f32_v3_3.npy", ramp((3,), np.float32, -1.0), version=(3, 0))

# Files tn must refuse, with the descr numpy really writes.
np.save(os.path.join(HERE, "complex128.npy"), np.array([1 + 2j, 3 - 4j]))
np.save(os.path.join(HERE, "object.npy"), np.array([1, "a", None], dtype=object), allow_pickle=True)
np.save(os.path.join(HERE, "structured.npy"), np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
np.save(os.path.join(HERE, "unicode.npy"), np.array(["ab", "cde"]))
np.save(os.path.join(HERE, "datetime.npy"), np.array(["2024-01-01"], dtype="datetime64[D]"))

# The exact bytes numpy writes, which Npy.write must reproduce. Values are ones Java computes the
# same way: element i (in C order) is float64 (i + 1) / 7, an IEEE division, and float32 values
# are that double rounded to nearest.
def sevenths(shape, dtype):
    n = int(np.prod(shape, dtype=np.int64))
    return ((np.arange(n, dtype=np.float64) + 1) / 7).astype(dtype).reshape(shape)


GOLDEN = {
    "golden_f32_3x4.npy": sevenths((3, 4), np.float32),
    "golden_f64_2x3x4.npy": sevenths((2, 3, 4), np.float64),
    "golden_f64_rank1_5.npy": sevenths((5,), np.float64),
    "golden_f32_scalar.npy": sevenths((), np.float32),
    "golden_f64_empty_100000x0.npy": np.zeros((100000, 0)),
    # Here preamble + dict + spare spaces + newline come to exactly 128 bytes, the edge of numpy's
    # padding rule: it still pads, by a whole extra 64 bytes (data starts at 192).
    "golden_f64_pad_edge.npy": np.zeros((0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100000000000)),
}
for name, arr in GOLDEN.items():
    save(name, arr)

# .npz: several arrays, mixed types and orders, stored (savez) and deflated (savez_compressed).
npz_arrays = {
    "W": ramp((3, 2), np.float32, 0.5, -1.0),
    "b": ramp((2,), np.float64, 1 / 3),
    "F": np.asfortranarray(ramp((2, 3), np.float64, 1.0)),
    "n": np.array([-5, 0, 7], dtype=np.int64),
    "s": np.array(2.0),
    "e": np.zeros((0, 4), dtype=np.float32),
}
np.savez(os.path.join(HERE, "arrays_stored.npz"), **npz_arrays)
np.savez_compressed(os.path.join(HERE, "arrays_compressed.npz"), **npz_arrays)
for npz in ("arrays_stored.npz", "arrays_compressed.npz"):
    with np.load(os.path.join(HERE, npz)) as f:
        assert list(f.keys()) == list(npz_arrays)
        for key in f.keys():
            record(f"{npz}:{key}", f[key])

with open(os.path.join(HERE, "expected.txt"), "w") as out:
    out.write("\n".join(lines) + "\n")
print(f"wrote {len(lines)} expected arrays to {HERE}")
