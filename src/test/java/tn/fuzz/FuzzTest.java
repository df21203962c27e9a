package tn.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile input gets located errors, never an internal error or a hang: a seeded run of the
 * {@link Fuzzer} through `tn check`'s path. In CI a few thousand inputs (about 20 s); for a long
 * run, e.g. {@code mvn -o test -Dtest=FuzzTest -Dtn.fuzz.scripts=100000 -Dtn.fuzz.seed=7}, which
 * reports inputs per second, the findings by class (the first input of each kept whole in
 * target/fuzz-findings/) and the slowest inputs.
 */
class FuzzTest {
    @Test
    void hostileScriptsGetLocatedErrorsQuickly() throws Exception {
        int scripts = Integer.getInteger("tn.fuzz.scripts", 2000);
        long seed = Long.getLong("tn.fuzz.seed", 16);
        double limit = Double.parseDouble(System.getProperty("tn.fuzz.seconds", "5"));
        boolean longRun = System.getProperty("tn.fuzz.scripts") != null;
        Fuzzer fuzzer = new Fuzzer(seed, limit);
        fuzzer.run(scripts, longRun ? Integer.MAX_VALUE : 5, longRun ? System.out : null);

        StringBuilder report = new StringBuilder();
        report.append(String.format("fuzz: %d inputs (seed %d) in %.1f s (%.1f s of CPU): %.0f inputs/s; %d findings in %d classes%n",
                fuzzer.inputs, seed, fuzzer.totalSeconds, fuzzer.cpuTotal, fuzzer.inputs / fuzzer.totalSeconds,
                fuzzer.findings.size(), fuzzer.byKey().size()));
        // Long runs keep the first input of each class whole, to reproduce it: target/fuzz-findings/.
        java.nio.file.Path kept = java.nio.file.Path.of("target", "fuzz-findings");
        if (longRun) java.nio.file.Files.createDirectories(kept);
        int k = 0;
        for (Map.Entry<String, List<Fuzzer.Finding>> e : fuzzer.byKey().entrySet()) {
            Fuzzer.Finding first = e.getValue().get(0);
            if (longRun) {
                java.nio.file.Path file = kept.resolve("finding-" + (++k) + ".tn");
                java.nio.file.Files.writeString(file, first.input(), java.nio.charset.StandardCharsets.UTF_8);
                report.append("\n(whole input: ").append(file).append(')');
            }
            report.append("\n== ").append(e.getValue().size()).append(" x ").append(e.getKey()).append('\n')
                    .append("input:\n").append(Fuzzer.show(first.input(), longRun ? 600 : 2000)).append('\n')
                    .append(first.detail()).append('\n');
        }
        if (longRun) {
            report.append("\nslowest inputs (CPU seconds):\n");
            for (Fuzzer.Timing t : fuzzer.slowest(10)) {
                report.append(String.format("%.2f s: %s%n", t.seconds(), Fuzzer.show(t.input(), 160).replace("\n", "\\n")));
            }
        }
        System.out.println(report);
        assertTrue(fuzzer.findings.isEmpty(), report.toString());
    }
}
