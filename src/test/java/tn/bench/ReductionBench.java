package tn.bench;

import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import tn.exec.Backend;
import tn.exec.Backend.Reduction;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.nd4j.NdDense;
import tn.exec.nd4j.Nd4jBackend;

/**
 * Times tn's float32 reductions on 10^8 entries ([10^4, 10^4] standard normal): the sum and norm
 * of everything, column sums, softmax and layer norm over the rows; next to the ND4J float32
 * operations tn used before (accumulating in float32), and, with a python3 that has numpy, to
 * numpy (src/bench/reductions.py) in the same run. Each side runs a block of three runs (the
 * median is kept) in turn, {@link #PAIRS} times per operation; the figures are the medians of the
 * blocks (the machine's speed drifts, so only blocks taken side by side compare).
 *
 * <p>Usage: ReductionBench [PYTHON].
 */
public final class ReductionBench {
    static final int PAIRS = 5;
    static final int N = 10_000;

    private ReductionBench() {}

    public static void main(String[] args) throws Exception {
        Nd4jBackend backend = new Nd4jBackend();
        Random rnd = new Random(1);
        double[] d = new double[N * N];
        for (int i = 0; i < d.length; i++) d[i] = rnd.nextGaussian();
        Dense x = backend.fromDoubles(d, new long[] {N, N}, DType.FLOAT32);
        d = null;
        INDArray a = ((NdDense) x).array();
        Process numpy = args.length > 0 ? new ProcessBuilder(args[0], "src/bench/reductions.py")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start() : null;
        Writer toNumpy = numpy == null ? null : new OutputStreamWriter(numpy.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader fromNumpy = numpy == null ? null : new BufferedReader(new InputStreamReader(numpy.getInputStream(), StandardCharsets.UTF_8));
        Map<String, List<Supplier<Object>>> ops = new java.util.LinkedHashMap<>();
        ops.put("sum", List.of(() -> backend.reduce(x, new int[] {0, 1}, Reduction.SUM), () -> a.reshape(1, (long) N * N).sum(1)));
        ops.put("norm", List.of(() -> backend.reduce(x, new int[] {0, 1}, Reduction.NORM), () -> a.reshape(1, (long) N * N).norm2(1)));
        ops.put("colsum", List.of(() -> backend.reduce(x, new int[] {0}, Reduction.SUM), () -> a.permute(1, 0).dup('c').sum(1)));
        ops.put("softmax", List.of(() -> backend.softmax(x, new int[] {1}), () -> {
            INDArray shifted = a.subColumnVector(a.max(1).reshape('c', new long[] {N, 1}));
            INDArray e = Transforms.exp(shifted, false);
            return e.diviColumnVector(e.sum(1).reshape('c', new long[] {N, 1}));
        }));
        ops.put("layernorm", List.of(() -> backend.layerNorm(x, new int[] {1}, 1e-5), () -> {
            INDArray centred = a.subColumnVector(a.mean(1).reshape('c', new long[] {N, 1}));
            INDArray var = centred.mul(centred).mean(1).reshape('c', new long[] {N, 1});
            return centred.diviColumnVector(Transforms.sqrt(var.addi(1e-5), false));
        }));
        System.out.println("float32 [10^4, 10^4] standard normal; ms = median over " + PAIRS + " blocks (each the median of 3 runs), taken in turn");
        System.out.printf(Locale.ROOT, "%-10s %9s %14s %9s %10s %10s%n", "op", "tn ms", "ND4J-f32 ms", "numpy ms", "tn/ND4J", "tn/numpy");
        for (Map.Entry<String, List<Supplier<Object>>> op : ops.entrySet()) {
            List<Double> tn = new ArrayList<>(), old = new ArrayList<>(), np = new ArrayList<>();
            block(op.getValue().get(0));
            block(op.getValue().get(1));
            for (int p = 0; p < PAIRS; p++) {
                tn.add(block(op.getValue().get(0)));
                old.add(block(op.getValue().get(1)));
                if (numpy != null) {
                    toNumpy.write(op.getKey() + "\n");
                    toNumpy.flush();
                    np.add(JsonParser.parseString(fromNumpy.readLine()).getAsJsonObject().get("seconds").getAsDouble() * 1e3);
                }
            }
            double t = median(tn), o = median(old), n = numpy == null ? Double.NaN : median(np);
            System.out.printf(Locale.ROOT, "%-10s %9.1f %14.1f %9.1f %10.2f %10.2f%n", op.getKey(), t, o, n, t / o, t / n);
        }
        if (numpy != null) {
            toNumpy.close();
            numpy.waitFor();
        }
    }

    /** The median of three runs, in ms; each result is freed at once. */
    private static double block(Supplier<Object> run) {
        double[] t = new double[3];
        for (int k = 0; k < 3; k++) {
            long s = System.nanoTime();
            Object r = run.get();
            t[k] = (System.nanoTime() - s) / 1e6;
            if (r instanceof NdDense nd) nd.release();
            else if (r instanceof INDArray ia && ia.closeable()) ia.close();
        }
        Arrays.sort(t);
        return t[1];
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[s.length / 2];
    }
}
