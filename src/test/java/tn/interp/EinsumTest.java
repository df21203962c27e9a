package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.io.NdData;
import tn.io.Npy;

/**
 * einsum against numpy itself: the operands and numpy's results were saved by
 * src/test/resources/einsum/make_cases.py; tn must give the same numbers (float64, 1e-12).
 */
class EinsumTest {
    private static final Path DIR = Path.of("src/test/resources/einsum");

    @TestFactory
    List<DynamicTest> resultsEqualNumpys() throws Exception {
        Nd4jBackend backend = new Nd4jBackend();
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("cases.txt"))) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] parts = line.split(" ");
            tests.add(DynamicTest.dynamicTest(parts[0], () -> {
                StringBuilder script = new StringBuilder();
                List<String> args = new ArrayList<>();
                for (int k = 2; k < parts.length; k++) {
                    script.append("x").append(k).append(" = load(\"").append(DIR.resolve(parts[k])).append("\")\n");
                    args.add("x" + k);
                }
                script.append("r = einsum(\"").append(parts[0]).append("\", ").append(String.join(", ", args)).append(")\n");
                Scripts s = Scripts.run(backend, DType.FLOAT64, script.toString());
                NdData expected = Npy.read(DIR.resolve(parts[1]));
                assertArrayEquals(expected.shape(), s.tensor("r").shape(), "shape");
                double[] actual = s.values("r");
                for (int i = 0; i < actual.length; i++) assertEquals(expected.data()[i], actual[i], 1e-12, "entry " + i);
            }));
        }
        return tests;
    }
}
