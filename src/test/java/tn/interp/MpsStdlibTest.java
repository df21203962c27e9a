package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/**
 * stdlib/mps.tn's builders against numpy references computed independently
 * (src/test/resources/mps/make_fixtures.py: dense state vectors, a dense Hamiltonian, the
 * eigenvalues of a transfer matrix, a gate-by-gate circuit simulation). The tensors come from
 * the fixture, so tn and numpy contract the same numbers by different routes.
 */
class MpsStdlibTest {
    static final Nd4jBackend ND4J = new Nd4jBackend();
    static final String F = "\"src/test/resources/mps/mps.npz\"";

    static Scripts run(String text) {
        return Scripts.run(ND4J, DType.FLOAT64, "import mps\nF = " + F + "\n" + text);
    }

    @Test
    void anOpenMpsIsItsStateVectorAndItsNormIsOneNetwork() {
        Scripts s = run("""
                leg site = 6, l = 3, q = 2, r = 3, p[6] = 2
                psi = mps_from(load(F, site, l, q, r, key="mps"), 6, 3, 2)
                ref = load(F, p[0], p[1], p[2], p[3], p[4], p[5], key="mps_state")
                assert close(state(psi), ref, rtol=1e-12)
                n = norm_network(psi)
                assert close(n, load(F, key="mps_norm"), rtol=1e-12)
                print(len(psi.sites))
                """);
        assertEquals("6\n", s.printed());
    }

    @Test
    void theTfimEnergyAgreesWithADenseHamiltonian() {
        run("""
                leg site = 6, l = 3, q = 2, r = 3
                psi = mps_from(load(F, site, l, q, r, key="mps"), 6, 3, 2)
                E = expectation_network(psi, tfim_mpo(6, J=1, h=0.7))
                assert close(E, load(F, key="tfim_energy"), rtol=1e-12)
                """);
    }

    @Test
    void aTranslationInvariantRingNormIsTheTraceOfTheTransferMatrixPower() {
        run("""
                leg l = 3, q = 2, r = 3
                psi = mps_ring(load(F, l, q, r, key="ring"), 10, 3, 2)
                assert close(norm_network(psi), load(F, key="ring_norm"), rtol=1e-10)
                """);
    }

    @Test
    void aProductStateNormIsTheProductOfItsSitesNorms() {
        run("""
                leg site = 6, l = 1, q = 2, r = 1
                psi = mps_from(load(F, site, l, q, r, key="product"), 6, 1, 2)
                assert close(norm_network(psi), load(F, key="product_norm"), rtol=1e-12)
                """);
    }

    @Test
    void aPepsNormAgreesWithItsDenseStateVector() {
        run("""
                leg site = 9, l = 2, r = 2, u = 2, dn = 2, q = 2
                P = peps_from(load(F, site, l, r, u, dn, q, key="peps"), 3, 3, 2, 2)
                assert close(peps_norm_network(P), load(F, key="peps_norm"), rtol=1e-12)
                """);
    }

    @Test
    void aBrickworkCircuitGivesTheSimulatedStateAndAmplitude() {
        run("""
                leg g = 10, o1 = 2, o2 = 2, i1 = 2, i2 = 2, s[30] = 2
                G = load(F, g, o1, o2, i1, i2, key="gates")
                assert brickwork_gates(6, 4) == 10
                gates = tuple()
                for k in range(10) { gates = append(gates, pick(G, g=k)) }
                ref = load(F, s[24], s[25], s[26], s[27], s[28], s[29], key="circuit_state")
                assert close(circuit_state(6, 4, gates), ref, rtol=1e-12)
                a = amplitude(6, 4, gates, tuple(0, 1, 1, 0, 1, 0))
                assert close(a, load(F, key="circuit_amplitude"), rtol=1e-12)
                """);
    }
}
