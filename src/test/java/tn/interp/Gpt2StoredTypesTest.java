package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.exec.DType;
import tn.io.NdData;
import tn.io.Npz;

/**
 * load_gpt2 reads float32, float16 and bfloat16 files bit for bit: every weight of the record
 * equals, in float32, what numpy decoded from the same stored bits and rearranged into tn's
 * layout itself (src/test/resources/gpt2/make_fixtures.py, checked in). The files hold -0.0,
 * float16 subnormals and extremes, bfloat16 subnormals and values near float32's largest; the
 * weights are read with the backend's bulk reader (ND4J's conversion for float16/bfloat16), and
 * with float64 as the script's dtype too (the same values, widened).
 */
class Gpt2StoredTypesTest {
    private static final Path DIR = Path.of("src/test/resources/gpt2").toAbsolutePath();

    @ParameterizedTest
    @CsvSource({"f32, float32", "f16, float32", "bf16, float32", "f32, float64", "f16, float64", "bf16, float64"})
    void everyWeightIsTheValueStoredInTheFile(String stored, String dtype) throws Exception {
        Map<String, NdData> expected = Npz.read(DIR.resolve("expected_" + stored + ".npz"));
        StringBuilder script = new StringBuilder("m = load_gpt2(\"" + DIR.resolve("tiny_" + stored + ".safetensors") + "\", heads=2)\n");
        for (String name : expected.keySet()) {
            // W_U in the fixture's reading [d_model, vocab], whatever order the record keeps its legs in.
            script.append("v_").append(name).append(" = m.").append(name).append(name.equals("W_U") ? " -> [d_model, vocab]\n" : "\n");
        }
        Scripts s = Scripts.run(TransformerTest.ND4J, DType.parse(dtype), script.toString());
        for (Map.Entry<String, NdData> e : expected.entrySet()) {
            double[] want = e.getValue().data(), got = s.values("v_" + e.getKey());
            assertEquals(want.length, got.length, e.getKey());
            long[] wantBits = new long[want.length], gotBits = new long[got.length];
            for (int i = 0; i < want.length; i++) {
                wantBits[i] = Double.doubleToRawLongBits(want[i]); // float32 values, exactly as doubles
                gotBits[i] = Double.doubleToRawLongBits(got[i]);
            }
            assertArrayEquals(wantBits, gotBits, stored + " as " + dtype + ": " + e.getKey());
        }
    }

    /**
     * A layer picked from a stacked weight before the stack is used whole (the slice made alone:
     * the file's mapped memory, or one layer's copy for W_Q/W_K/W_V), and after (a slice of the
     * whole), equal the numpy fixture's; mapped (the default) and read (mmap=false).
     */
    @ParameterizedTest
    @CsvSource({"f32, float32, true", "f32, float32, false", "f32, float64, true", "bf16, float32, true"})
    void layersPickedBeforeAndAfterTheWholeStackAreTheStoredValues(String stored, String dtype, boolean map) throws Exception {
        Map<String, NdData> expected = Npz.read(DIR.resolve("expected_" + stored + ".npz"));
        String[] stacked = {"W_Q", "W_K", "W_V", "b_Q", "b_O", "W_O", "W_in", "b_in", "W_out", "b_out", "ln1_w", "ln2_b"};
        long layers = expected.get("W_Q").shape()[0];
        StringBuilder script = new StringBuilder("m = load_gpt2(\"" + DIR.resolve("tiny_" + stored + ".safetensors") + "\", heads=2, mmap="
                + map + ")\n");
        for (String when : new String[] {"before", "after"}) {
            for (String name : stacked) {
                for (int l = 0; l < layers; l++) script.append(when).append('_').append(name).append(l).append(" = pick(m.").append(name).append(", layer=").append(l).append(")\n");
            }
            if (when.equals("before")) for (String name : stacked) script.append("whole_").append(name).append(" = sum(m.").append(name).append(")\n");
        }
        Scripts s = Scripts.run(TransformerTest.ND4J, DType.parse(dtype), script.toString());
        for (String name : stacked) {
            double[] all = expected.get(name).data();
            int each = (int) (all.length / layers);
            for (int l = 0; l < layers; l++) {
                double[] want = java.util.Arrays.copyOfRange(all, l * each, (l + 1) * each);
                for (String when : new String[] {"before", "after"}) {
                    assertArrayEquals(want, s.values(when + "_" + name + l), 0, stored + " as " + dtype + ", mmap=" + map + ": " + name + " layer " + l + " " + when);
                }
            }
        }
    }
}
