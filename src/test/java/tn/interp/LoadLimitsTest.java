package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.DType;
import tn.golden.Golden;
import tn.io.NdData;
import tn.io.Npy;
import tn.io.Npz;

/**
 * load() and load_gpt2() are checked against the memory limit from the file's header, before any
 * data is read (in `tn check` too), and arrays with an axis of size 0 are refused where they are
 * loaded, naming the array and the axis.
 */
class LoadLimitsTest {
    @TempDir Path dir;

    /** A .npy of {@code shape} float32 whose data is a sparse hole: nothing is written but the header. */
    private Path sparseNpy(String name, long... shape) throws Exception {
        Path file = dir.resolve(name);
        int count = 1;
        for (long d : shape) count *= (int) d;
        byte[] whole = Npy.toBytes(shape, new double[count], DType.FLOAT32);
        int dataOffset = whole.length - 4 * count;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(whole, 0, dataOffset);
            f.setLength(whole.length);
        }
        return file;
    }

    private Path script(String text) throws Exception {
        Path p = dir.resolve("s.tn");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aLargeNpyIsRefusedFromItsHeaderInCheckAndRun() throws Exception {
        sparseNpy("w.npy", 1000, 2500); // 10 MB of float32
        Path s = script("W = load(\"w.npy\", i, j)\nshow(W)\n");
        String expected = s + ":1:10: load(): w.npy with shape [1000, 2500] needs 30.0 MB (2.50e+6 entries of float64 as read, then float32),"
                + " over the memory limit of 1.0 MB; raise the limit (--memory-limit, or `set memory_limit = 3.00e7`) or use a smaller array\n";
        for (String command : new String[] {"check", "run"}) {
            Golden.Result r = Golden.run(command, "--memory-limit", "1e6", s.toString());
            assertEquals(1, r.exitCode(), r.err());
            assertTrue(r.err().startsWith(expected), r.err());
        }
    }

    @Test
    void aLargeNpyIsRefusedInTheReplBeforeItIsRead() throws Exception {
        sparseNpy("w.npy", 1000, 2500);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
        tn.net.Evaluator e = new tn.net.Evaluator(new tn.exec.nd4j.Nd4jBackend(), new tn.plan.Planner(), 1e6);
        Interpreter in = new Interpreter(e, out, new Settings());
        Interpreter.Module m = in.newModule(new tn.diag.Source("<repl>", ""), dir);
        var program = tn.syntax.TnParserFacade.parse(new tn.diag.Source("<in 1>", "W = load(\"w.npy\", i, j)"), new tn.diag.Diagnostics());
        tn.diag.TnError error = org.junit.jupiter.api.Assertions.assertThrows(tn.diag.TnError.class, () -> in.runStatement(m, program.get(0)));
        assertTrue(error.getMessage().startsWith("load(): w.npy with shape [1000, 2500] needs 30.0 MB"), error.getMessage());
    }

    @Test
    void aLargeNpzArrayIsRefusedByName() throws Exception {
        Map<String, NdData> arrays = new LinkedHashMap<>();
        arrays.put("small", NdData.of(new long[] {2}, new double[2], DType.FLOAT32));
        arrays.put("big", NdData.of(new long[] {300, 1000}, new double[300_000], DType.FLOAT32));
        Npz.write(dir.resolve("m.npz"), arrays);
        Path s = script("B = load(\"m.npz\", i, j, key=\"big\")\n");
        Golden.Result r = Golden.run("check", "--memory-limit", "1e6", s.toString());
        assertTrue(r.err().startsWith(s + ":1:10: load(): m.npz, array 'big', with shape [300, 1000] needs 3.6 MB (300000 entries of float64 as read, then float32), over the memory limit of 1.0 MB"), r.err());
    }

    /**
     * A float32 GPT-2 is read in place: it loads within its file's float32 entries (W_U is W_E,
     * not a transposed copy), b_U (zeros: the file has no lm_head.bias) and one block of c_attn's
     * columns [layer, d_model, d_model] while it is rearranged, and is refused one byte below that. (Reading through float64 copies
     * needed three times as much.)
     */
    @Test
    void aGpt2ModelLoadsWithinItsOwnSize() throws Exception {
        int layers = 2, d = 8, dMlp = 16, vocab = 13, ctx = 7;
        Map<String, double[]> w = TransformerTest.gpt2Weights(layers, d, dMlp, vocab, ctx, 43);
        Map<String, long[]> shapes = TransformerTest.gpt2Shapes(layers, d, dMlp, vocab, ctx);
        Map<String, NdData> arrays = new LinkedHashMap<>();
        long entries = 0;
        for (Map.Entry<String, double[]> e : w.entrySet()) {
            arrays.put(e.getKey(), NdData.of(shapes.get(e.getKey()), e.getValue(), DType.FLOAT32));
            entries += e.getValue().length;
        }
        tn.io.Safetensors.write(dir.resolve("model.safetensors"), arrays);
        Path s = script("m = load_gpt2(\"model.safetensors\", heads=4)\n");
        long need = (entries + vocab + (long) layers * d * d) * Float.BYTES;
        Golden.Result ok = Golden.run("run", "--memory-limit", String.valueOf(need), s.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        Golden.Result refused = Golden.run("run", "--memory-limit", String.valueOf(need - 1), s.toString());
        assertTrue(refused.err().contains("load_gpt2(): the model (largest weight: W_in [layer=2, d_model=8, d_mlp=16]) needs 6.1 KB (1517 entries of float32, read in place)"), refused.err());
    }

    @Test
    void aGpt2ModelIsRefusedByItsLargestTensor() throws Exception {
        Map<String, double[]> w = TransformerTest.gpt2Weights(2, 8, 16, 13, 7, 43);
        Map<String, long[]> shapes = TransformerTest.gpt2Shapes(2, 8, 16, 13, 7);
        Map<String, NdData> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : w.entrySet()) arrays.put(e.getKey(), NdData.of(shapes.get(e.getKey()), e.getValue(), DType.FLOAT32));
        tn.io.Safetensors.write(dir.resolve("model.safetensors"), arrays);
        Path s = script("m = load_gpt2(\"model.safetensors\", heads=4)\n");
        for (String command : new String[] {"check", "run"}) {
            // Read in place as float32: 4 bytes an entry (no float64 copy on the way).
            Golden.Result r = Golden.run(command, "--memory-limit", "400", s.toString());
            assertTrue(r.err().startsWith(s + ":1:5: load_gpt2(): weight W_E with legs [vocab=13, d_model=8] needs 416 B (104 entries of float32),"
                    + " over the memory limit of 400 B; raise the limit (--memory-limit, or `set memory_limit = 416`) or use a smaller model"), r.err());
        }
        assertEquals(0, Golden.run("run", s.toString()).exitCode());
    }

    @Test
    void anAxisOfSizeZeroIsRefusedWhereItIsLoaded() throws Exception {
        Npy.write(dir.resolve("z.npy"), new long[] {3, 0}, new double[0], DType.FLOAT64);
        Map<String, NdData> arrays = new LinkedHashMap<>();
        arrays.put("Z", NdData.of(new long[] {0}, new double[0], DType.FLOAT64));
        Npz.write(dir.resolve("z.npz"), arrays);
        Path s = script("Z = load(\"z.npy\", i, j)\nx = sum(Z, i)\n");
        for (String command : new String[] {"check", "run"}) {
            Golden.Result r = Golden.run(command, s.toString());
            assertEquals(1, r.exitCode());
            assertEquals(s + ":1:10: z.npy has an axis of size 0 (axis 1, leg j, shape [3, 0]): tn's legs have at least one element,"
                    + " so an empty array cannot be loaded\n    Z = load(\"z.npy\", i, j)\n             ^^^^^^^\n", r.err());
        }
        Files.writeString(s, "Z = load(\"z.npz\", key=\"Z\")\nn = norm(Z)\n");
        Golden.Result r = Golden.run("run", s.toString());
        assertTrue(r.err().startsWith(s + ":1:10: z.npz, array 'Z', has an axis of size 0 (axis 0, shape [0])"), r.err());
    }

    @Test
    void aGpt2TensorWithAnAxisOfSizeZeroIsRefused() throws Exception {
        Map<String, NdData> arrays = new LinkedHashMap<>();
        arrays.put("wte.weight", NdData.of(new long[] {0, 8}, new double[0], DType.FLOAT32));
        tn.io.Safetensors.write(dir.resolve("empty.safetensors"), arrays);
        Path s = script("m = load_gpt2(\"empty.safetensors\", heads=4)\n");
        Golden.Result r = Golden.run("check", s.toString());
        assertTrue(r.err().startsWith(s + ":1:15: empty.safetensors: tensor wte.weight has an axis of size 0 (shape [0, 8])"), r.err());
    }
}
