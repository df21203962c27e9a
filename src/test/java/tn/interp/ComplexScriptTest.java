package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/**
 * Complex numbers in scripts: literals and parts against arithmetic done by hand, the operations
 * that keep working on complex tensors (stack, pick, einsum, .*, powers, sums), printing, and the
 * refusals while checking.
 */
class ComplexScriptTest {
    static final Nd4jBackend ND4J = new Nd4jBackend();

    @Test
    void literalsAndPartsAreTheNumbersWrittenByHand() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, """
                z = 3 + 4j
                print(z, abs(z), real(z), imag(z), conj(z), angle(-1 + 0j), z * z, 1 / z)
                jk = 3
                print(2jk, 2 * 1.5j)
                """);
        // (3+4i)^2 = -7+24i; 1/(3+4i) = (3-4i)/25; 2jk is 2 times the variable jk.
        assertEquals("3+4j 5 3 4 3-4j 3.14159 -7+24j 0.12-0.16j\n6 0+3j\n", s.printed());
    }

    @Test
    void stackPickEinsumAndPowersWorkOnComplexTensors() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, """
                leg i = 2, j = 3, k = 2
                A = complex(random(i, j, seed=1), random(i, j, seed=2))
                B = complex(random(j, k, seed=3), random(j, k, seed=4))
                assert close(einsum("ij,jk->ik", A, B), A B)
                S = stack(tuple(A, 2j * A, real(A)), t)
                assert close(pick(S, t=1), 2j * A) and close(pick(S, t=2), real(A) + 0j) and close(pick(S, t=0), A)
                assert close(A .* A, A ^ 2) and close(A ^ -1 .* A, ones(i, j) + 0j)
                assert close(sum(A .* conj(A)), norm(A) ^ 2 + 0j)
                assert close(exp(1j * real(A)), complex(real(exp(1j * real(A))), imag(exp(1j * real(A)))))
                assert close(dag(dag(A)), A)
                print(dag(A) -> [i', j'])
                """);
        assertTrue(s.printed().startsWith("[[-0.0343+0.0071j, -1.2926+1.3375j, -2.5001-0.1302j],"), s.printed());
    }

    @Test
    void complexEntriesPrintAsNumpyDoes() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT32, """
                leg i = 2
                show([1, -20][i] + 0.5j * [-1, 0][i])
                """);
        assertEquals("[1, -20][i] + 0.5j * [-1, 0][i]: [i=2] complex64\n[  1.0000-0.5000j, -20.0000+0.0000j]\n", s.printed());
    }

    @Test
    void factorisationsOfComplexTensorsKeepTheirIdentities() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, """
                leg i = 4, j = 3, i2 = 4
                A = complex(random(i, j, seed=1), random(i, j, seed=2))
                U, S, V = svd(A, left=[i], bond=b)
                assert close(U S V, A) and is_isometry(U, into=[i]) and is_isometry(V, into=[j])
                U2, S2, V2, err = svd(A, left=[i], bond=b2, rank=2)
                assert abs(err - norm(A - U2 S2 V2)) < 1e-12
                assert abs(err - pick(S, b=2)) < 1e-12
                Q, R = qr(A, left=[i], bond=q)
                assert close(Q R, A) and is_isometry(Q, into=[i])
                H = A conj(A)[i -> i2]
                w, X = eigh(H, left=[i], bond=e)
                assert close(X w conj(X)[i -> i2], H)
                re, im = eig(A conj(A)[i -> i2] + 1j * eye(i, i2), left=[i], bond=f)
                assert close(im, ones(f))
                assert not is_isometry(A, into=[i])
                print(S, svdvals(A, left=[i], bond=c), w)
                """);
        assertEquals("[3.7709, 3.1195, 0.4755] [3.7709, 3.1195, 0.4755] [ 0.0000,  0.2261,  9.7314, 14.2194]\n", s.printed());
    }

    @Test
    void tensorTrainsOfComplexTensors() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, """
                leg a = 3, b = 4, c = 2, d = 3
                T = complex(random(a, b, c, d, seed=1), random(a, b, c, d, seed=2))
                psi, err = tt(T, bond=g)
                assert close(psi, T) and err == 0
                phi, e2 = tt(T, bond=h, max_bond=2)
                assert abs(e2 - norm(T - phi)) < 1e-12
                L = canonical(psi, form="left")
                G = cores(L)
                assert close(L, T) and is_isometry(item(G, 0)) and is_isometry(item(G, 1)) and is_isometry(item(G, 2))
                R = canonical(psi, form="right")
                H = cores(R)
                assert close(R, T) and is_isometry(item(H, 3), into=[d]) and is_isometry(item(H, 1), into=[b, g2])
                assert not is_isometry(item(cores(psi), 3), into=[d])
                C, e3 = compress(psi, max_bond=2)
                assert abs(e3 - norm(T - C)) < 1e-12 and e3 > 1
                """);
        assertEquals("", s.printed());
    }

    @Test
    void refusalsComeWhileCheckingBeforeAnythingRuns() {
        String d = Scripts.check("""
                leg i = 3
                z = 1j * ones(i)
                y = softmax(z, i)
                """).format();
        assertTrue(d.contains("<test>:3:13: softmax() cannot take a complex tensor: argument 1 is complex128 with legs [i=3]"), d);
    }
}
