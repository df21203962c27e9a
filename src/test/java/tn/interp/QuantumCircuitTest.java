package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.io.NdData;
import tn.io.Npy;

/**
 * stdlib/quantum.tn's circuits against independent references: seeded random circuits of up to
 * 16 qubits against a numpy state-vector simulation (src/test/resources/complex/make_fixtures.py
 * writes each circuit as tn code and its state vector, computed gate by gate in numpy), and GHZ
 * and QFT states against their closed forms, computed here by formula.
 */
class QuantumCircuitTest {
    static final Nd4jBackend ND4J = new Nd4jBackend();
    static final String DIR = "src/test/resources/complex/";

    static Scripts run(String dtype, String text) {
        return Scripts.run(ND4J, DType.FLOAT32, "import quantum\nset dtype = " + dtype + "\n" + text);
    }

    /** The largest |tn - numpy| over the state vector of circuit_N.tn, and over one amplitude. */
    @ParameterizedTest
    @CsvSource({"5, complex128, 1e-12", "10, complex128, 1e-12", "16, complex128, 1e-12",
            "5, complex64, 1e-5", "10, complex64, 1e-5", "16, complex64, 1e-5"})
    void randomCircuitsAgreeWithANumpyStateVectorSimulation(int n, String dtype, double tolerance) throws Exception {
        String circuit = Files.readString(Path.of(DIR + "circuit_" + n + ".tn"));
        StringBuilder legs = new StringBuilder(), bits = new StringBuilder(), picks = new StringBuilder();
        for (int k = 0; k < n; k++) {
            legs.append(k > 0 ? ", " : "").append("q[").append(k).append(']');
            bits.append(k > 0 ? ", " : "").append(k % 3 == 0 ? 1 : 0);
            picks.append(k % 3 == 0 ? " ([0, 1][q[" : " ([1, 0][q[").append(k).append("]])");
        }
        Scripts s = run(dtype, circuit + "leg q[" + n + "] = 2\n"
                + "ref = load(\"" + DIR + "circuits.npz\", " + legs + ", key=\"sv" + n + "\")\n"
                + "print(max(abs(state_vector(c) - ref)))\n"
                + "print(abs(amplitude_of(c, tuple(" + bits + ")) - ref" + picks + "))\n");
        String[] lines = s.printed().strip().split("\n");
        double state = Double.parseDouble(lines[0]), amplitude = Double.parseDouble(lines[1]);
        System.out.printf("quantum: %d qubits, %s: max |tn - numpy| = %s over the state vector, %s for one amplitude%n",
                n, dtype, lines[0], lines[1]);
        assertTrue(state <= tolerance, n + " qubits, " + dtype + ": state vector off by " + state);
        assertTrue(amplitude <= tolerance, n + " qubits, " + dtype + ": amplitude off by " + amplitude);
    }

    /** (|0...0> + |1...1>) / sqrt(2), entry by entry, from H and a CNOT chain. */
    @Test
    void aGhzStateIsItsClosedForm(@TempDir Path dir) throws Exception {
        int n = 8;
        Path out = dir.resolve("ghz.npy");
        run("complex128", "c = gate(circuit(" + n + "), H(), 0)\n"
                + "for k in range(" + (n - 1) + ") { c = gate2(c, CNOT(), k, k + 1) }\n"
                + "leg q[" + n + "] = 2\n"
                + "save(state_vector(c) -> [" + legList(n) + "], \"" + out + "\")\n");
        NdData d = Npy.read(out);
        assertEquals("complex128", d.dtype());
        double[] z = d.data();
        int last = (1 << n) - 1;
        for (int y = 0; y <= last; y++) {
            double expected = y == 0 || y == last ? 1 / Math.sqrt(2) : 0;
            assertEquals(expected, z[2 * y], 1e-15, "re of entry " + y);
            assertEquals(0, z[2 * y + 1], 1e-15, "im of entry " + y);
        }
    }

    /** QFT|x> = sum_y e^(2 pi i x y / N) |y> / sqrt(N), N = 2^n, qubit 0 the most significant bit. */
    @ParameterizedTest
    @CsvSource({"3, 5", "5, 11", "6, 38"})
    void theQftOfABasisStateIsItsClosedForm(int n, int x, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("qft.npy");
        StringBuilder prepare = new StringBuilder("c = circuit(" + n + ")\n");
        for (int k = 0; k < n; k++) if ((x >> (n - 1 - k) & 1) == 1) prepare.append("c = gate(c, X(), ").append(k).append(")\n");
        run("complex128", prepare + "leg q[" + n + "] = 2\n"
                + "save(state_vector(qft(c)) -> [" + legList(n) + "], \"" + out + "\")\n");
        double[] z = Npy.read(out).data();
        int size = 1 << n;
        double worst = 0;
        for (int y = 0; y < size; y++) {
            double phase = 2 * Math.PI * ((long) x * y % size) / size;
            worst = Math.max(worst, Math.hypot(z[2 * y] - Math.cos(phase) / Math.sqrt(size), z[2 * y + 1] - Math.sin(phase) / Math.sqrt(size)));
        }
        assertTrue(worst < 1e-14, "QFT of " + x + " on " + n + " qubits off by " + worst);
    }

    /** <Z> and <X> of a one-qubit rotation from |0>: cos(t) and 0 for Rx(t); <Y> = -sin(t). */
    @Test
    void expectationValuesOfARotationAreItsCosineAndSine() {
        double t = 0.7;
        Scripts s = run("complex128", "c = gate(circuit(2), Rx(" + t + "), 1)\n"
                + "print(real(expectation(c, Z(), 1)), real(expectation(c, Y(), 1)), real(expectation(c, X(), 1)), real(expectation(c, Z(), 0)))\n");
        String[] v = s.printed().strip().split(" ");
        assertEquals(Math.cos(t), Double.parseDouble(v[0]), 1e-6);
        assertEquals(-Math.sin(t), Double.parseDouble(v[1]), 1e-6);
        assertEquals(0, Double.parseDouble(v[2]), 1e-12);
        assertEquals(1, Double.parseDouble(v[3]), 1e-12);
    }

    private static String legList(int n) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < n; k++) b.append(k > 0 ? ", " : "").append("q[").append(k).append(']');
        return b.toString();
    }
}
