package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/**
 * Path expansion at GPT-2 small's shapes (12 layers, 12 heads, d_model 768, d_mlp 3072, vocab
 * 50257, context 1024: 124M parameters), seeded random weights with layer norms, GELU MLPs and
 * biases, on 8 tokens: residual_paths, expand(order=1) and total, timed, with the completeness
 * check against the unfrozen forward pass; then along a direction (unembed_along, a logit difference at
 * the last position) at order 1 and order 2. Too heavy for every build (about 1 GB while the model is
 * made, minutes on a shared 2-core machine): it runs with {@code -Dtn.big=true}, alone:
 * {@code mvn -o -B test -Dtest=PathExpansionBigTest -Dtn.big=true} ({@code -Dtn.big.dtype=float64}
 * for float64; float32 by default, as GPT-2 is shipped).
 */
@EnabledIfSystemProperty(named = "tn.big", matches = "true")
class PathExpansionBigTest {
    @Test
    void gpt2SmallShapedModelsExpandAndAddUpToTheirLogits() throws Exception {
        DType dtype = DType.parse(System.getProperty("tn.big.dtype", "float32"));
        long start = System.nanoTime();
        Scripts s = Scripts.run(new Nd4jBackend(), dtype, """
                import transformer
                m = transformer(layers=12, heads=12, d_model=768, d_mlp=3072, vocab=50257, context=1024, seed=0, std=0.02)
                ids = [464, 3290, 318, 257, 1332, 286, 262, 3290]
                """);
        report("model made", start, s);
        start = System.nanoTime();
        s.interpreter.run(s.module, parse("L = forward(m, ids)\nf = freeze(m, ids)\n"), null);
        s.values("L");
        report("forward + freeze", start, s);
        start = System.nanoTime();
        s.interpreter.run(s.module, parse("x = residual_paths(f, ids, true)\nE = expand(unembed(f, x), order=1)\nn = len(E)\n"), null);
        report("residual_paths + expand(order=1): " + PathExpansionTest.count(s, "E") + " terms", start, s);
        assertEquals(1 + 144 + 12 + 12 + 1 + 1, PathExpansionTest.count(s, "E"));
        start = System.nanoTime();
        s.interpreter.run(s.module, parse("S = total(E)\n"), null);
        double[] sum = s.values("S"), logits = s.values("L");
        report("total", start, s);
        double err = 0, size = 0;
        for (int k = 0; k < sum.length; k++) {
            err += (sum[k] - logits[k]) * (sum[k] - logits[k]);
            size += logits[k] * logits[k];
        }
        System.out.printf(Locale.ROOT, "relative error of total(E) against forward(m, ids): %.3g (%s)%n", Math.sqrt(err / size), dtype);
        PathExpansionTest.assertClose(logits, sum, dtype == DType.FLOAT64 ? 1e-9 : 1e-4, "total(E)");
        // Along a direction (the logit difference of two tokens at the last position): one number per term.
        start = System.nanoTime();
        s.interpreter.run(s.module, parse("""
                d = onehot([0, 0, 0, 0, 0, 0, 0, 262], pos, vocab, size=50257) - onehot([0, 0, 0, 0, 0, 0, 0, 286], pos, vocab, size=50257)
                D1 = expand(unembed_along(f, x, d), order=1)
                T1 = total(D1)
                """), null);
        double read = PathExpansionTest.along(logits, s.values("d"));
        report("unembed_along + expand(order=1) + total: " + PathExpansionTest.count(s, "D1") + " terms", start, s);
        System.out.printf(Locale.ROOT, "along d: forward %.6g, total(D1) %.6g, error %.3g%n", read, s.values("T1")[0], Math.abs(read - s.values("T1")[0]));
        assertEquals(read, s.values("T1")[0], (dtype == DType.FLOAT64 ? 1e-9 : 1e-4) * Math.max(1, Math.abs(read)), "total(D1) along d");
        start = System.nanoTime();
        s.interpreter.run(s.module, parse("D2 = expand(unembed_along(f, x, d), order=2)\nT2 = total(D2)\n"), null);
        report("unembed_along + expand(order=2) + total: " + PathExpansionTest.count(s, "D2") + " terms", start, s);
        System.out.printf(Locale.ROOT, "along d: total(D2) %.6g, error %.3g%n", s.values("T2")[0], Math.abs(read - s.values("T2")[0]));
        assertEquals(read, s.values("T2")[0], (dtype == DType.FLOAT64 ? 1e-9 : 1e-4) * Math.max(1, Math.abs(read)), "total(D2) along d");
        start = System.nanoTime();
        try {
            s.interpreter.run(s.module, parse("F = expand(unembed(f, x))\n"), null);
            throw new AssertionError("the full expansion should be refused");
        } catch (tn.diag.TnError e) {
            report("full expansion refused (" + e.getMessage().lines().findFirst().orElse("") + ")", start, s);
        }
    }

    static java.util.List<tn.ast.Stmt> parse(String text) {
        tn.diag.Diagnostics d = new tn.diag.Diagnostics();
        java.util.List<tn.ast.Stmt> program = tn.syntax.TnParserFacade.parse(new tn.diag.Source("<test>", text), d);
        if (program == null) throw new AssertionError(d.format());
        return program;
    }

    static void report(String what, long start, Scripts s) throws Exception {
        Runtime r = Runtime.getRuntime();
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
        double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        System.out.printf(Locale.ROOT, "%-70s %7.1f s (process CPU so far %6.1f s), heap used %5d MB, peak RSS %s%n", what,
                (System.nanoTime() - start) / 1e9, cpu, (r.totalMemory() - r.freeMemory()) >> 20, hwm.replaceAll("VmHWM:\\s*", ""));
    }
}
