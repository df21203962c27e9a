"""Reference values for stdlib/mps.tn, computed with numpy alone (dense state vectors, a dense
Hamiltonian, eigenvalues of a transfer matrix). Run from this folder: python3 make_fixtures.py.
Writes mps.npz; MpsStdlibTest loads the tensors into tn's builders and checks tn's values."""
import numpy as np

rng = np.random.default_rng(20261207)
out = {}

# A random open MPS of L sites, stacked as A[site, l, q, r]; site 0 uses l = 0, the last r = 0.
L, chi, d = 6, 3, 2
A = rng.normal(size=(L, chi, d, chi))
psi = A[0][0]                                  # [q, r]
for k in range(1, L):
    psi = np.tensordot(psi, A[k], axes=([psi.ndim - 1], [0]))
psi = psi[..., 0]                              # [q0, ..., q5]
out["mps"] = A
out["mps_state"] = psi
out["mps_norm"] = np.array(np.sum(psi * psi))

# <psi|H|psi> for H = -J sum Z Z - h sum X, built as a dense 2^L x 2^L matrix from Kronecker products.
J, h = 1.0, 0.7
I2 = np.eye(2); X = np.array([[0, 1], [1, 0]]); Z = np.diag([1.0, -1.0])
def site_op(op, k):
    m = np.array([[1.0]])
    for j in range(L):
        m = np.kron(m, op if j == k else I2)
    return m
H = sum(-J * site_op(Z, k) @ site_op(Z, k + 1) for k in range(L - 1)) + sum(-h * site_op(X, k) for k in range(L))
v = psi.reshape(-1)                            # row-major: q0 is the most significant bit, as kron's order
out["tfim_energy"] = np.array(v @ H @ v)

# A translation-invariant ring of Lr copies of B[l, q, r]: <psi|psi> = tr(T^Lr) = sum of the
# transfer matrix's eigenvalues to the power Lr.
Lr = 10
B = rng.normal(size=(chi, d, chi)) / np.sqrt(chi * d)
T = np.einsum("aqb,cqd->acbd", B, B).reshape(chi * chi, chi * chi)
out["ring"] = B
out["ring_length"] = np.array(Lr)
out["ring_norm"] = np.array(np.sum(np.linalg.eigvals(T) ** Lr).real)

# A product state (chi = 1): its norm is the product of the sites' squared norms.
P = rng.normal(size=(L, 1, d, 1))
out["product"] = P
out["product_norm"] = np.array(np.prod(np.sum(P[:, 0, :, 0] ** 2, axis=1)))

# A 3 x 3 PEPS, stacked as S[site, l, r, u, dn, q] (site = x * 3 + y; edges use index 0). The
# state vector is built one site at a time with explicit bond bookkeeping; <psi|psi> is its norm.
Lx = Ly = 3
pchi = 2
S = rng.normal(size=(Lx * Ly, pchi, pchi, pchi, pchi, d)) / 2
letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
hb = {(x, y): next(letters) for x in range(Lx) for y in range(Ly - 1)}
vb = {(x, y): next(letters) for x in range(Lx - 1) for y in range(Ly)}
phys = [next(letters) for _ in range(Lx * Ly)]
ops, subs = [], []
for x in range(Lx):
    for y in range(Ly):
        t = S[x * Ly + y]
        idx = ""
        t = t if y > 0 else t[0:1]
        idx += hb[(x, y - 1)] if y > 0 else "z"
        t = t if y < Ly - 1 else t[:, 0:1]
        idx += hb[(x, y)] if y < Ly - 1 else "y"
        t = t if x > 0 else t[:, :, 0:1]
        idx += vb[(x - 1, y)] if x > 0 else "x"
        t = t if x < Lx - 1 else t[:, :, :, 0:1]
        idx += vb[(x, y)] if x < Lx - 1 else "w"
        idx += phys[x * Ly + y]
        # the size-1 edge legs are summed away on their own (letters z, y, x, w repeat only within one tensor)
        t = t.sum(axis=tuple(a for a, c in enumerate(idx[:4]) if c in "zyxw"), keepdims=False)
        ops.append(t)
        subs.append("".join(c for c in idx if c not in "zyxw"))
state = np.einsum(",".join(subs) + "->" + "".join(phys), *ops, optimize="greedy")
out["peps"] = S
out["peps_norm"] = np.array(np.sum(state * state))

# A brickwork circuit of n qubits and depth D with orthogonal gates G[o1, o2, i1, i2], simulated
# on a dense state vector gate by gate.
n, D = 6, 4
gates = []
vec = np.zeros((2,) * n); vec[(0,) * n] = 1.0
for t in range(D):
    for i in range(t % 2, n - 1, 2):
        Q, R = np.linalg.qr(rng.normal(size=(4, 4)))
        G = Q.reshape(2, 2, 2, 2)
        gates.append(G)
        vec = np.moveaxis(np.tensordot(G, vec, axes=([2, 3], [i, i + 1])), [0, 1], [i, i + 1])
out["gates"] = np.stack(gates)
out["circuit_state"] = vec
bits = (0, 1, 1, 0, 1, 0)
out["circuit_bits"] = np.array(bits)
out["circuit_amplitude"] = np.array(vec[bits])

np.savez("mps.npz", **out)
for k, val in out.items():
    if np.ndim(val) == 0:
        print(k, float(val))
