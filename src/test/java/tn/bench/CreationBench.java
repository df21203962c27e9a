package tn.bench;

import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.exec.nd4j.NdDense;
import tn.exec.nd4j.Nd4jBackend;
import tn.interp.Interpreter;
import tn.interp.Settings;
import tn.interp.Value;
import tn.net.Evaluator;
import tn.plan.Planner;
import tn.syntax.TnParserFacade;

/**
 * Times the creation of large random tensors (`random(a, b, seed=1)`, `uniform(...)`, legs of
 * 10000 x 10000 by default) through tn's interpreter, and numpy making the same amount of random
 * numbers the ways a user would (`np.random.default_rng(seed).standard_normal(shape, dtype)`, the
 * legacy `np.random.randn`, `default_rng(seed).random`), in the same run: tn and numpy (a
 * {@code creation.py} process this class starts) take turns, one creation each, {@link #PAIRS}
 * times per case, alternating which goes first; figures are medians, ratio = median of the
 * pairs' tn/numpy ratios. Each tensor is freed before the next is made, as numpy frees the array
 * a name no longer holds.
 *
 * <p>Usage: CreationBench [PYTHON [SIZE]] (see src/bench/creation).
 */
public final class CreationBench {
    static final int PAIRS = 5;

    private CreationBench() {}

    /** One comparison: a tn statement and the numpy commands it is set against. */
    private record Case(String name, String dtype, String tn, List<String> numpy) {}

    public static void main(String[] args) throws Exception {
        String python = args.length > 0 ? args[0] : "python3";
        long size = args.length > 1 ? Long.parseLong(args[1]) : 10000;
        List<Case> cases = List.of(
                new Case("normal", "float32", "random(a, b, seed=1, dtype=float32)", List.of("default_rng", "randn")),
                new Case("normal", "float64", "random(a, b, seed=1, dtype=float64)", List.of("default_rng", "randn")),
                new Case("uniform", "float32", "uniform(a, b, seed=1, dtype=float32)", List.of("default_rng_random")),
                new Case("uniform", "float64", "uniform(a, b, seed=1, dtype=float64)", List.of("default_rng_random")));
        Tn tn = new Tn(size);
        try (Numpy numpy = new Numpy(python)) {
            System.out.printf(Locale.ROOT, "tensors of %d x %d, %d pairs per case, one creation per turn (seconds: medians)%n", size, size, PAIRS);
            System.out.printf(Locale.ROOT, "%-8s %-8s %8s   %-34s %8s %7s %13s%n", "entries", "dtype", "tn s", "numpy", "numpy s", "ratio", "range");
            for (Case c : cases) {
                tn.time(c.tn()); // warm-up: the JIT compiles the generator
                tn.time(c.tn());
                for (String op : c.numpy()) {
                    String command = String.format(Locale.ROOT, "{\"op\": \"%s\", \"dtype\": \"%s\", \"n\": %d}", op, c.dtype(), size);
                    numpy.time(command);
                    double[] a = new double[PAIRS], b = new double[PAIRS], ratio = new double[PAIRS];
                    for (int k = 0; k < PAIRS; k++) {
                        if (k % 2 == 0) {
                            a[k] = tn.time(c.tn());
                            b[k] = numpy.time(command);
                        } else {
                            b[k] = numpy.time(command);
                            a[k] = tn.time(c.tn());
                        }
                        ratio[k] = a[k] / b[k];
                    }
                    double[] sorted = ratio.clone();
                    Arrays.sort(sorted);
                    System.out.printf(Locale.ROOT, "%-8s %-8s %8.3f   %-34s %8.3f %7.2f %6.2f-%5.2f%n", c.name(), c.dtype(), median(a),
                            numpy.describe(op, c.dtype()), median(b), median(ratio), sorted[0], sorted[PAIRS - 1]);
                }
            }
        }
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** tn's side: an interpreter with legs a and b declared, running one assignment at a time. */
    private static final class Tn {
        private final Interpreter interpreter;
        private final Interpreter.Module module;

        Tn(long size) {
            Evaluator evaluator = new Evaluator(new Nd4jBackend(), new Planner(), 1e12);
            interpreter = new Interpreter(evaluator, new PrintStream(PrintStream.nullOutputStream()), new Settings());
            module = interpreter.newModule(new Source("<bench>", ""), Path.of("."));
            run("leg a = " + size + ", b = " + size);
        }

        private void run(String text) {
            Diagnostics d = new Diagnostics();
            var program = TnParserFacade.parse(new Source("<bench>", text), d);
            if (program == null) throw new IllegalStateException(d.format());
            interpreter.run(module, program, null);
        }

        /** Seconds to run {@code x = EXPR}; the tensor is freed afterwards. */
        double time(String expression) {
            long start = System.nanoTime();
            run("x = " + expression);
            double seconds = (System.nanoTime() - start) / 1e9;
            Value v = module.globals().remove("x");
            if (v instanceof Value.TensorValue t && interpreter.evaluator().evaluate(t.net()).data() instanceof NdDense d) d.release();
            return seconds;
        }
    }

    /** numpy's side: a {@code creation.py} process that times what it is sent, one JSON line each way. */
    private static final class Numpy implements AutoCloseable {
        private final Process process;
        private final Writer in;
        private final BufferedReader out;

        Numpy(String python) throws IOException {
            process = new ProcessBuilder(python, Path.of("src", "bench", "creation.py").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        double time(String command) throws IOException {
            in.write(command + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) throw new IOException("the numpy process stopped (see above)");
            return JsonParser.parseString(line).getAsJsonObject().get("seconds").getAsDouble();
        }

        String describe(String op, String dtype) {
            return switch (op) {
                case "default_rng" -> "default_rng(1).standard_normal(" + (dtype.equals("float32") ? "f32" : "f64") + ")";
                case "randn" -> "random.randn" + (dtype.equals("float32") ? ".astype(f32)" : "");
                default -> "default_rng(1).random(" + (dtype.equals("float32") ? "f32" : "f64") + ")";
            };
        }

        @Override
        public void close() throws IOException, InterruptedException {
            in.close();
            process.waitFor();
        }
    }
}
