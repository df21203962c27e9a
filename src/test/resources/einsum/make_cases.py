"""Generates the einsum fixtures: operands and numpy's results for each equation.

Run from this folder: python3 make_cases.py  (needs numpy; the Java tests only read the files).
"""
import numpy as np

CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ba", [(2, 3)]),
    ("i,i", [(4,), (4,)]),
    ("i,j->ij", [(2,), (3,)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]),
    ("iab,b,baj->ij", [(2, 3, 4), (4,), (4, 3, 2)]),
    ("ijk,jkl,lm", [(2, 3, 2), (3, 2, 4), (4, 2)]),
    ("iij->j", [(3, 3, 2)]),
    ("Ab,bC->AC", [(2, 3), (3, 2)]),
    ("...ij,jk->...ik", [(2, 2, 3), (3, 4)]),
    ("...j,...j->...", [(2, 2, 3), (1, 3)]),
    ("i...,i...", [(3, 1, 2), (3, 4, 2)]),
    ("...", [(2, 3)]),
    # Size-1 axes stretch (numpy broadcasts them, lettered or under ...), appended so the
    # operands of the cases above stay the same.
    ("ij,ij->j", [(10, 2), (1, 2)]),
    ("ij,jk->ik", [(2, 1), (3, 4)]),
    ("ij,jk", [(2, 1), (3, 4)]),
    ("i,i", [(1,), (3,)]),
    ("i,i->i", [(1,), (3,)]),
    ("ij,ij->ij", [(3, 1), (1, 4)]),
    ("ij,ij", [(3, 1), (1, 4)]),
    ("i,j,i->j", [(1,), (2,), (3,)]),
    ("ii,i->i", [(1, 1), (3,)]),
    ("ii,ij->j", [(1, 1), (3, 2)]),
    ("ab,bc,cd->ad", [(2, 1), (3, 1), (1, 4)]),
    ("bij,bjk->bik", [(1, 3, 4), (5, 4, 2)]),
    ("...i,...i->...", [(2, 1, 3), (4, 3)]),
    ("...i,...i->...", [(2, 1, 3), (4, 1)]),
    ("i...,i...->...", [(1, 2), (3, 2)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),
    ("...,...", [(3, 1), (1, 4)]),
    ("i...j,j...->...i", [(2, 1, 3), (1, 4)]),
]

rng = np.random.default_rng(20261122)
lines = []
for n, (eq, shapes) in enumerate(CASES):
    ops = [rng.standard_normal(s) for s in shapes]
    names = []
    for k, op in enumerate(ops):
        name = f"c{n}_op{k}.npy"
        np.save(name, op)
        names.append(name)
    result = np.asarray(np.einsum(eq, *ops))
    np.save(f"c{n}_out.npy", result)
    lines.append(" ".join([eq, f"c{n}_out.npy"] + names))
with open("cases.txt", "w") as f:
    f.write("# equation expected-result operands... (made by make_cases.py with numpy)\n")
    f.write("\n".join(lines) + "\n")
