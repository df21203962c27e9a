package tn.interp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.TnError;
import tn.exec.Backend;
import tn.exec.nd4j.Nd4jBackend;
import tn.net.Evaluator;
import tn.plan.Planner;
import tn.syntax.TnParserFacade;

/**
 * Hostile files: valid .npy, .npz, .safetensors and vocab.json files (the test fixtures and
 * examples/data) corrupted at random (bit flips, truncation, inserted and deleted bytes, edited
 * headers: huge, negative and overflowing shapes, wrong dtypes, repeated keys, string ids) and
 * loaded the way scripts load them (`load`, `load_gpt2`, `tokens`), checked and then run. Every
 * outcome must be a value or a located error naming the file: no other exception, no hang, no
 * allocation beyond the memory limit.
 *
 * <p>Seeded and bounded for CI ({@value #DEFAULT_FILES} files, a few seconds);
 * {@code -Dtn.fuzz.files=N} runs N files, {@code -Dtn.fuzz.seed=S} another sequence. Files that
 * fail are kept in target/fuzz-failures with a note of what was done to them.
 */
class FileFuzzTest {
    static final int DEFAULT_FILES = 400;
    /** The memory limit the loads run under; a load of these small files never comes near it. */
    static final double LIMIT = 16e6;
    /** Heap a single load may allocate (its arrays, plus the interpreter's own small change). */
    static final long ALLOCATION_BUDGET = (long) (4 * LIMIT);
    static final double SECONDS = 5;

    @TempDir
    static Path dir;
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-load");
        t.setDaemon(true);
        return t;
    });
    private static final Backend BACKEND = new Nd4jBackend();

    /** A valid file, the script that loads a copy of it called FILE, and its kind. */
    record Seed(Path path, String script) {}

    static List<Seed> seeds() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        try (Stream<Path> npy = Files.list(Path.of("src/test/resources/npy"))) {
            for (Path p : npy.sorted().toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".npy") && Files.size(p) < 4096) seeds.add(new Seed(p, "x = load(\"FILE\")\nshow(x)\n"));
            }
        }
        seeds.add(new Seed(Path.of("src/test/resources/npy/arrays_stored.npz"), "x = load(\"FILE\", key=\"W\")\ny = load(\"FILE\", key=\"F\")\nz = load(\"FILE\", key=\"n\")\nshow(x, y, z)\n"));
        seeds.add(new Seed(Path.of("src/test/resources/npy/arrays_compressed.npz"), "x = load(\"FILE\", key=\"W\")\ny = load(\"FILE\", key=\"F\")\nz = load(\"FILE\", key=\"n\")\nshow(x, y, z)\n"));
        seeds.add(new Seed(Path.of("examples/data/model.npz"), "x = load(\"FILE\", key=\"x\")\nb = load(\"FILE\", key=\"bias\")\n"));
        seeds.add(new Seed(Path.of("examples/data/weights.npy"), "x = load(\"FILE\")\n"));
        seeds.add(new Seed(Path.of("examples/data/fortran.npy"), "x = load(\"FILE\")\n"));
        seeds.add(new Seed(Path.of("examples/data/tiny_gpt2.safetensors"), "import transformer\nm = load_gpt2(\"FILE\", heads=4)\n"));
        seeds.add(new Seed(Path.of("examples/data/vocab.json"), "t = tokens([0, 1, 15], \"FILE\")\nprint(t)\n"));
        return seeds;
    }

    private final List<String> failures = new ArrayList<>();
    /** Failures by kind (the exception and where it was thrown): the first example of each is kept. */
    private final java.util.Map<String, Integer> kinds = new java.util.LinkedHashMap<>();

    @Test
    void corruptedFilesGiveAValueOrALocatedError() throws Exception {
        int files = Integer.getInteger("tn.fuzz.files", DEFAULT_FILES);
        long seed = Long.getLong("tn.fuzz.seed", 16);
        List<Seed> seeds = seeds();
        for (Seed s : seeds) assertTrue(Files.exists(s.path()), s.path() + " is missing");
        // The files themselves: the fixtures of kinds tn does not read give located errors, the rest
        // load (a fuzzer on broken seeds would test little).
        int loaded = 0;
        for (Seed s : seeds) {
            String outcome = load(s, Files.readAllBytes(s.path()), "unchanged");
            assertTrue(!outcome.equals("failure"), s.path() + " unchanged: " + failures);
            assertTrue(outcome.equals("value") || s.path().toString().endsWith(".npy"), s.path() + " does not load");
            if (outcome.equals("value")) loaded++;
        }
        // Refused by design: the .npy fixtures of dtypes tn does not read (bool, complex, datetime,
        // integers it does not convert, ...) and the empty arrays (tn refuses an axis of size 0).
        assertTrue(loaded >= seeds.size() - 10, loaded + " of " + seeds.size() + " files load");
        SplittableRandom random = new SplittableRandom(seed);
        int errors = 0, values = 0;
        for (int k = 0; k < files; k++) {
            // A kind of file first (npy, npz, safetensors, json), then a file of that kind: the many
            // small .npy fixtures would otherwise take nearly every turn.
            String[] types = {".npy", ".npz", ".safetensors", ".json"};
            String kind = types[random.nextInt(types.length)];
            List<Seed> ofKind = seeds.stream().filter(x -> x.path().toString().endsWith(kind)).toList();
            Seed s = ofKind.get(random.nextInt(ofKind.size()));
            byte[] original = Files.readAllBytes(s.path());
            StringBuilder what = new StringBuilder();
            byte[] bytes = Mutations.mutate(original, random, what);
            String outcome = load(s, bytes, what.toString());
            if (outcome.equals("value")) values++;
            else if (outcome.equals("error")) errors++;
        }
        int failed = kinds.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(Locale.ROOT, "file fuzzer: %d files (seed %d): %d loaded, %d refused with a located error, %d failures%n",
                files, seed, values, errors, failed);
        assertTrue(failures.isEmpty(), failed + " corrupted files were not handled, " + kinds.size() + " kinds (first example of each):\n"
                + String.join("\n", failures));
    }

    /** Checks, then runs, the seed's script on these bytes; "value", "error", or a failure recorded. */
    private String load(Seed s, byte[] bytes, String what) throws IOException {
        String name = s.path().getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.'));
        Path file = dir.resolve("fuzzed" + ext);
        Files.write(file, bytes);
        String text = "set memory_limit = " + (long) LIMIT + "\n" + s.script().replace("FILE", file.getFileName().toString());
        for (boolean concrete : new boolean[] {false, true}) {
            Future<Outcome> run = RUNNER.submit(() -> {
                com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long before = mx.getCurrentThreadAllocatedBytes();
                Interpreter in = new Interpreter(new Evaluator(concrete ? BACKEND : null, new Planner(), LIMIT),
                        new PrintStream(PrintStream.nullOutputStream()), new Settings());
                Interpreter.Module module = in.newModule(new Source("fuzz.tn", text), dir);
                Diagnostics d = new Diagnostics();
                var program = TnParserFacade.parse(new Source("fuzz.tn", text), d);
                in.run(module, program, concrete ? null : d);
                if (d.any()) throw new TnError(d.all().get(0).span(), d.all().get(0).message());
                long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                return new Outcome(allocated, concrete && allocated <= ALLOCATION_BUDGET ? values(in, module) : null);
            });
            try {
                Outcome got = run.get((long) (SECONDS * 1000), TimeUnit.MILLISECONDS);
                if (got.allocated() > ALLOCATION_BUDGET) {
                    return fail(s, bytes, what, (concrete ? "run" : "check") + " allocated " + got.allocated() + " bytes");
                }
                if (concrete && ext.equals(".npz")) {
                    // A zip entry carries a CRC of its data: changed data must be refused, not loaded.
                    double[] expected = originals.computeIfAbsent(s.path(), p -> got.values());
                    if (!java.util.Arrays.equals(expected, got.values())) return fail(s, bytes, what, "the archive's data changed, and was loaded");
                }
            } catch (TimeoutException e) {
                run.cancel(true);
                return fail(s, bytes, what, (concrete ? "run" : "check") + " took more than " + SECONDS + " s");
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable t = e.getCause();
                if (t instanceof TnError err) {
                    if (err.span() == null) return fail(s, bytes, what, "an error without a location: " + err.getMessage());
                    if (!err.getMessage().contains("fuzzed")) return fail(s, bytes, what, "an error that does not name the file: " + err.getMessage());
                    return "error";
                }
                java.io.StringWriter trace = new java.io.StringWriter();
                t.printStackTrace(new java.io.PrintWriter(trace));
                String[] lines = trace.toString().split("\n");
                return fail(s, bytes, what, (concrete ? "run: " : "check: ") + String.join("\n      ", List.of(lines).subList(0, Math.min(6, lines.length))));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return "value";
    }

    /** What a load did: the heap it allocated, and (when run) the entries it loaded. */
    record Outcome(long allocated, double[] values) {}

    /** The values each .npz seed loads unchanged (its tensors' entries one after another). */
    private final java.util.Map<Path, double[]> originals = new java.util.HashMap<>();

    /** The entries of the script's tensors x, y, z, b, in that order. */
    private static double[] values(Interpreter in, Interpreter.Module module) {
        java.util.List<Double> all = new ArrayList<>();
        for (String name : List.of("x", "y", "z", "b")) {
            if (module.globals().get(name) instanceof Value.TensorValue t) {
                tn.exec.Dense d = in.evaluator().evaluate(t.net()).data();
                // A complex tensor's entries: its real parts, then its imaginary parts.
                List<tn.exec.Dense> parts = d instanceof tn.exec.ComplexDense c ? List.of(c.re(), c.im()) : List.of(d);
                for (tn.exec.Dense p : parts) for (double v : in.evaluator().backend().toDoubles(p)) all.add(v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private String fail(Seed s, byte[] bytes, String what, String outcome) throws IOException {
        String kind = outcome.replaceAll("\\d+", "N");
        kind = kind.substring(0, Math.min(kind.length(), 300));
        if (kinds.merge(kind, 1, Integer::sum) > 1) return "failure";
        Path keep = Path.of("target", "fuzz-failures");
        Files.createDirectories(keep);
        String name = s.path().getFileName().toString();
        Path file = keep.resolve(failures.size() + "-" + name);
        Files.write(file, bytes);
        failures.add(file + " (" + s.path() + ", " + what + "): " + outcome);
        return "failure";
    }

    @AfterAll
    static void stop() {
        RUNNER.shutdownNow();
    }

    /** Ways of damaging a file, each described in words for the failure report. */
    static final class Mutations {
        private Mutations() {}

        private static final String[] NUMBERS = {"4611686018427387904", "9223372036854775807", "9223372036854775808", "18446744073709551617",
                "-1", "0", "2147483647", "2147483648", "4294967296", "100000", "1e30", "3.5", "1e-5", "99999999999999999999999999"};
        private static final String[] VALUES = {"null", "{}", "[]", "\"F99\"", "\"<f8\"", "\"|b1\"", "{\"a\": 1}", "\"0\"", "true", "\"\"",
                "[4611686018427387904, 4]", "[[1]]", "\"\\u0000\""};

        static byte[] mutate(byte[] original, SplittableRandom r, StringBuilder what) {
            byte[] b = original.clone();
            int rounds = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
            for (int k = 0; k < rounds; k++) {
                if (k > 0) what.append("; ");
                b = once(b, r, what);
            }
            return b;
        }

        private static byte[] once(byte[] b, SplittableRandom r, StringBuilder what) {
            int header = Math.min(b.length, headerLength(b));
            switch (r.nextInt(11)) {
                case 0 -> { // bit flips anywhere
                    int flips = 1 + r.nextInt(8);
                    b = b.clone();
                    for (int i = 0; i < flips && b.length > 0; i++) {
                        int at = r.nextInt(b.length), bit = r.nextInt(8);
                        b[at] ^= (byte) (1 << bit);
                        what.append("bit ").append(bit).append(" of byte ").append(at).append(" flipped ");
                    }
                    return b;
                }
                case 1 -> { // bit flips in the header, where they matter most
                    b = b.clone();
                    int at = r.nextInt(Math.max(1, header)), bit = r.nextInt(8);
                    if (b.length > 0) b[at] ^= (byte) (1 << bit);
                    what.append("header bit ").append(bit).append(" of byte ").append(at).append(" flipped");
                    return b;
                }
                case 2 -> { // truncation
                    int len = r.nextInt(b.length + 1);
                    what.append("truncated to ").append(len).append(" bytes");
                    return java.util.Arrays.copyOf(b, len);
                }
                case 3 -> { // inserted bytes
                    int at = r.nextInt(b.length + 1), n = 1 + r.nextInt(16);
                    byte[] extra = new byte[n];
                    for (int i = 0; i < n; i++) extra[i] = (byte) r.nextInt(256);
                    what.append(n).append(" bytes inserted at ").append(at);
                    return splice(b, at, 0, extra);
                }
                case 4 -> { // deleted bytes
                    if (b.length == 0) return b;
                    int at = r.nextInt(b.length), n = 1 + r.nextInt(Math.min(16, b.length - at));
                    what.append(n).append(" bytes deleted at ").append(at);
                    return splice(b, at, n, new byte[0]);
                }
                case 5, 6 -> { // a number in the header replaced
                    return replaceToken(b, header, Pattern.compile("-?\\d+"), NUMBERS[r.nextInt(NUMBERS.length)], r, what);
                }
                case 7 -> { // a string or value in the header replaced
                    return replaceToken(b, header, Pattern.compile("\"[^\"]*\"|'[^']*'"), VALUES[r.nextInt(VALUES.length)], r, what);
                }
                case 9, 10 -> { // the value of a "key": value pair of a JSON header replaced (a dtype by null, an id by a string...)
                    String text = new String(b, 0, header, StandardCharsets.ISO_8859_1);
                    Matcher m = Pattern.compile("\"[^\"]+\": ?(-?\\d+|\"[^\"]*\"|\\[[^\\[\\]]*\\])").matcher(text);
                    List<int[]> found = new ArrayList<>();
                    while (m.find()) found.add(new int[] {m.start(1), m.end(1)});
                    if (found.isEmpty()) return b;
                    int[] pick = found.get(r.nextInt(found.size()));
                    String with = r.nextBoolean() ? VALUES[r.nextInt(VALUES.length)]
                            : "\"" + text.substring(pick[0], pick[1]).replace("\"", "") + "\""; // as a string
                    byte[] replacement = with.getBytes(StandardCharsets.ISO_8859_1);
                    what.append("value ").append(text, pick[0], pick[1]).append(" at ").append(pick[0]).append(" replaced by ").append(with);
                    return fixLength(splice(b, pick[0], pick[1] - pick[0], replacement), b, replacement.length - (pick[1] - pick[0]));
                }
                default -> { // a "key": value pair of a JSON header repeated
                    String text = new String(b, 0, header, StandardCharsets.ISO_8859_1);
                    Matcher m = Pattern.compile("\"[^\"]+\": ?(\\d+|\"[^\"]*\"|\\{[^{}]*\\})").matcher(text);
                    List<int[]> found = new ArrayList<>();
                    while (m.find()) found.add(new int[] {m.start(), m.end()});
                    if (found.isEmpty()) return b;
                    int[] pick = found.get(r.nextInt(found.size()));
                    byte[] pair = (text.substring(pick[0], pick[1]) + ", ").getBytes(StandardCharsets.ISO_8859_1);
                    what.append("pair ").append(text, pick[0], pick[1]).append(" repeated");
                    return fixLength(splice(b, pick[0], 0, pair), b, pair.length);
                }
            }
        }

        /** A .safetensors header's length field must follow the header; other formats are left alone. */
        private static byte[] fixLength(byte[] changed, byte[] before, int added) {
            if (isSafetensors(before)) {
                long n = java.nio.ByteBuffer.wrap(before, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong() + added;
                java.nio.ByteBuffer.wrap(changed, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(n);
            }
            return changed;
        }

        private static boolean isSafetensors(byte[] b) {
            return b.length > 9 && b[8] == '{' && b[1] == 0 && b[7] == 0;
        }

        private static byte[] replaceToken(byte[] b, int header, Pattern p, String with, SplittableRandom r, StringBuilder what) {
            String text = new String(b, 0, header, StandardCharsets.ISO_8859_1);
            Matcher m = p.matcher(text);
            List<int[]> found = new ArrayList<>();
            while (m.find()) {
                if (isSafetensors(b) && m.start() < 8) continue; // not the binary length field
                found.add(new int[] {m.start(), m.end()});
            }
            if (found.isEmpty()) return b;
            int[] pick = found.get(r.nextInt(found.size()));
            byte[] replacement = with.getBytes(StandardCharsets.ISO_8859_1);
            what.append(text, pick[0], pick[1]).append(" at ").append(pick[0]).append(" replaced by ").append(with);
            byte[] out = splice(b, pick[0], pick[1] - pick[0], replacement);
            return fixLength(out, b, replacement.length - (pick[1] - pick[0]));
        }

        /** Where the text header ends: .npy's declared header, .safetensors' JSON, a whole JSON file; zip files as a whole. */
        private static int headerLength(byte[] b) {
            if (b.length >= 10 && (b[0] & 0xff) == 0x93 && b[1] == 'N') {
                int len = b[6] == 1 ? (b[8] & 0xff) | (b[9] & 0xff) << 8 : b.length >= 12
                        ? (b[8] & 0xff) | (b[9] & 0xff) << 8 | (b[10] & 0xff) << 16 : 0;
                return Math.min(b.length, 10 + Math.max(0, len));
            }
            if (isSafetensors(b)) {
                long n = java.nio.ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                return (int) Math.min(b.length, 8 + Math.max(0, Math.min(n, b.length)));
            }
            return b.length;
        }

        static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
            byte[] out = new byte[b.length - remove + insert.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(insert, 0, out, at, insert.length);
            System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
            return out;
        }
    }
}
