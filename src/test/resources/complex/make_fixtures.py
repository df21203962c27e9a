"""Fixtures for tn's complex numbers, computed with numpy alone (no tn): run from this folder
with `python3 make_fixtures.py`; the outputs are committed, so the tests need no Python.

- circuit_N.tn: a seeded random circuit on N qubits (N = 5, 10, 16) as tn code for
  stdlib/quantum.tn (`c = gate(c, Rx(0.1234...), 3)`, angles written exactly with repr), and
  circuits.npz: its state vector from |0...0> (key svN, axis k = qubit k, complex128), computed by
  the state-vector simulation below, gate by gate with the gate matrices written out here.
- c16.npy, c8.npy, c16_big.npy, c16_fortran.npy: one complex array in numpy's <c16, <c8, >c16
  and Fortran order, for the reading tests (values in values.npz as two float64 arrays).
- linalg.npz: complex matrices (tall, wide, square, Hermitian) with numpy's SVD, QR, eigh and eig,
  and the rank-2 truncation errors, for tn's complex factorisations (ComplexFactorizationsTest).
"""
import numpy as np

SQ2 = np.sqrt(2.0)


def rx(t):
    return np.array([[np.cos(t / 2), -1j * np.sin(t / 2)], [-1j * np.sin(t / 2), np.cos(t / 2)]])


def ry(t):
    return np.array([[np.cos(t / 2), -np.sin(t / 2)], [np.sin(t / 2), np.cos(t / 2)]], dtype=complex)


def rz(t):
    return np.diag([np.exp(-0.5j * t), np.exp(0.5j * t)])


def fsim(theta, phi):
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[1, 0, 0, 0], [0, c, -1j * s, 0], [0, -1j * s, c, 0], [0, 0, 0, np.exp(-1j * phi)]])


ONE = {
    "H": np.array([[1, 1], [1, -1]]) / SQ2,
    "X": np.array([[0, 1], [1, 0]]),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.diag([1, -1]),
    "S": np.diag([1, 1j]),
    "T": np.diag([1, np.exp(0.25j * np.pi)]),
}
TWO = {
    "CNOT": np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]),
    "CZ": np.diag([1, 1, 1, -1]),
    "iSWAP": np.array([[1, 0, 0, 0], [0, 0, 1j, 0], [0, 1j, 0, 0], [0, 0, 0, 1]]),
}


def apply1(psi, u, k):
    """U on qubit k of a state whose axis k is qubit k."""
    return np.moveaxis(np.tensordot(u, psi, axes=([1], [k])), 0, k)


def apply2(psi, m, a, b):
    """A 4 x 4 gate (rows |a b>) on qubits a and b."""
    g = np.asarray(m, dtype=complex).reshape(2, 2, 2, 2)
    out = np.tensordot(g, psi, axes=([2, 3], [a, b]))
    return np.moveaxis(out, [0, 1], [a, b])


def random_circuit(n, depth, seed):
    """Gates as (tn call text, matrix, qubits); the tn text spells the same gate for stdlib/quantum.tn."""
    rng = np.random.default_rng(seed)
    gates = []
    for layer in range(depth):
        for k in range(n):
            kind = rng.integers(0, 9)
            if kind < 6:
                name = list(ONE)[kind]
                gates.append((f"{name}()", ONE[name], (k,)))
            else:
                t = float(rng.uniform(0, 2 * np.pi))
                name, f = [("Rx", rx), ("Ry", ry), ("Rz", rz)][kind - 6]
                gates.append((f"{name}({t!r})", f(t), (k,)))
        start = layer % 2
        for a in range(start, n - 1, 2):
            b = a + 1
            if rng.integers(0, 2) == 1:
                a, b = b, a  # either direction (CNOT's control may be the lower or the upper qubit)
            kind = rng.integers(0, 4)
            if kind < 3:
                name = list(TWO)[kind]
                gates.append((f"{name}()", TWO[name], (a, b)))
            else:
                theta, phi = float(rng.uniform(0, 2 * np.pi)), float(rng.uniform(0, 2 * np.pi))
                gates.append((f"fSim({theta!r}, {phi!r})", fsim(theta, phi), (a, b)))
        # A long-range gate each layer, so the network is not only a brickwork.
        a, b = rng.choice(n, size=2, replace=False)
        gates.append(("CZ()", TWO["CZ"], (int(a), int(b))))
    return gates


def simulate(n, gates):
    psi = np.zeros((2,) * n, dtype=complex)
    psi[(0,) * n] = 1
    for _, m, qs in gates:
        psi = apply1(psi, np.asarray(m, dtype=complex), qs[0]) if len(qs) == 1 else apply2(psi, m, *qs)
    return psi


def circuits():
    states = {}
    for n, depth, seed in [(5, 6, 1), (10, 8, 2), (16, 10, 3)]:
        gates = random_circuit(n, depth, seed)
        lines = [f"# {n} qubits, depth {depth}, seed {seed}: written by make_fixtures.py", f"c = circuit({n})"]
        for text, _, qs in gates:
            lines.append(f"c = gate(c, {text}, {qs[0]})" if len(qs) == 1 else f"c = gate2(c, {text}, {qs[0]}, {qs[1]})")
        with open(f"circuit_{n}.tn", "w") as f:
            f.write("\n".join(lines) + "\n")
        psi = simulate(n, gates)
        assert abs(np.linalg.norm(psi) - 1) < 1e-12
        states[f"sv{n}"] = psi
    np.savez("circuits.npz", **states)


def files():
    rng = np.random.default_rng(7)
    a = rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))
    np.save("c16.npy", a)
    np.save("c8.npy", a.astype(np.complex64))
    np.save("c16_big.npy", a.astype(">c16"))
    np.save("c16_fortran.npy", np.asfortranarray(a))
    np.savez("values.npz", re=a.real, im=a.imag, re8=a.astype(np.complex64).real.astype(np.float64),
             im8=a.astype(np.complex64).imag.astype(np.float64))


def linalg():
    rng = np.random.default_rng(11)
    m = rng.standard_normal((6, 4)) + 1j * rng.standard_normal((6, 4))
    sq = rng.standard_normal((5, 5)) + 1j * rng.standard_normal((5, 5))
    herm = sq + sq.conj().T
    wide = rng.standard_normal((3, 5)) + 1j * rng.standard_normal((3, 5))
    out = dict(m=m, s=np.linalg.svd(m, compute_uv=False), sq=sq, herm=herm,
               herm_values=np.linalg.eigvalsh(herm), eig_values=np.linalg.eigvals(sq), wide=wide)
    # numpy's factors, in numpy's own gauge: the tests compare what no gauge changes
    # (singular values, |<u_i|u_i'>|, projectors, |R_ij|, eigenvalues).
    for name, a in (("m", m), ("wide", wide)):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        q, r = np.linalg.qr(a)
        out.update({f"{name}_u": u, f"{name}_s": s, f"{name}_vh": vh, f"{name}_q": q, f"{name}_r": r})
        # Eckart-Young: the Frobenius error of the best rank-2 approximation, from the matrix itself.
        out[f"{name}_rank2_error"] = np.array(np.linalg.norm(a - (u[:, :2] * s[:2]) @ vh[:2]))
    w, v = np.linalg.eigh(herm)
    out.update(herm_vectors=v)
    lam, x = np.linalg.eig(sq)
    order = sorted(range(5), key=lambda j: (-abs(lam[j]), -lam[j].real, -lam[j].imag))
    out.update(eig_sorted=lam[order], eig_vectors=x[:, order])
    np.savez("linalg.npz", **out)


if __name__ == "__main__":
    circuits()
    files()
    linalg()
