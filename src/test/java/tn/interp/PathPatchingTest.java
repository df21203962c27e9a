package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tn.interp.ProcessWeightsTest.assertNear;
import static tn.interp.ProcessWeightsTest.run;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.diag.TnError;
import tn.io.NdData;
import tn.io.Npz;

/**
 * Path patching through the named terms of expand (drop_terms, patch_terms, path_terms, path_patch)
 * against an independent float64 numpy reference that computes each path term from its definition
 * (mixed differences of the softmax over cumulative sources, layer norms with fixed factors) on
 * Hugging Face's tensors (src/test/resources/pathpatch/make_fixtures.py, output checked in; it checks
 * itself that its 657 terms add up to the metric), on the GPT-2-shaped model of
 * src/test/resources/process; and the identities that make the semantics exact: dropping a term
 * takes exactly it away, dropping all but one leaves that one, patching nothing gives the corrupted
 * metric and patching everything the clean one.
 */
class PathPatchingTest {
    static final Path DIR = Path.of("src/test/resources/pathpatch");
    static final String CLEAN = "[3, 1, 4, 1, 5, 9, 2]";
    static final String CORRUPTED = "[3, 1, 7, 1, 5, 9, 2]";
    /** The terms of the fixture, in its order. */
    static final List<String> TERMS = List.of("direct", "L0H2", "b_O0", "MLP0", "L1H0", "L1H1<-V-L0H0", "L1H0<-K-L0H2",
        "L1H2<-Q-MLP0", "L1H2<-{K-L0H1, V-L0H1}", "L1H1<-{Q-L0H0, K-b_O0, V-MLP0}", "b_O1", "MLP1", "b_U");
    static Map<String, NdData> expected;

    @BeforeAll
    static void readFixtures() throws Exception {
        expected = Npz.read(DIR.resolve("expected.npz"));
    }

    /** tn's term names as a tn tuple of strings. */
    static String names() {
        return "tuple(" + String.join(", ", TERMS.stream().map(t -> "\"" + t + "\"").toList()) + ")";
    }

    /** The script lines that set T to the values [k] of the terms named in `names` of expansion E (one by one, by name). */
    static String pick(String e, String into) {
        return """
                vals = tuple()
                for t in %s {
                    for k in range(len(%s)) {
                        if name(item(%s, k)) == t { vals = append(vals, item(%s, k)) }
                    }
                }
                %s = stack(vals, term)
                """.formatted(names(), e, e, e, into);
    }

    @Test
    void eachTermMatchesTheReference() {
        Scripts r = run("d = logit_diff_direction(m, 5, 9)\nEc = path_terms(m, " + CLEAN + ", d)\nEk = path_terms(m, " + CORRUPTED + ", d)\n"
                + "n = len(Ec)\nmc = total(Ec)\nmk = total(Ek)\nfc = pick(forward(m, " + CLEAN + "), pos=6) d\n" + pick("Ec", "Tc") + pick("Ek", "Tk"));
        assertEquals(657.0, r.interpreter.asNumber(r.module.globals().get("n"), null, "n"), "the number of terms");
        assertNear(expected.get("term_clean").data(), r.values("Tc"), 1e-12, "terms on the clean prompt");
        assertNear(expected.get("term_corrupted").data(), r.values("Tk"), 1e-12, "terms on the corrupted prompt");
        assertNear(expected.get("metric_clean").data(), r.values("mc"), 1e-12, "total of the clean terms");
        assertNear(expected.get("metric_corrupted").data(), r.values("mk"), 1e-12, "total of the corrupted terms");
        assertNear(r.values("fc"), r.values("mc"), 1e-12, "total against forward");
    }

    /** path_patch on a few of the terms (each call expands both prompts): a head, K- and Q-composition, a three-slot term, b_U. */
    @Test
    void pathPatchMatchesTheReference() {
        int[] some = {4, 6, 7, 9, 12};
        StringBuilder s = new StringBuilder("d = logit_diff_direction(m, 5, 9)\nscores = tuple()\npatched = tuple()\n");
        for (int k : some) {
            s.append("p = path_patch(m, ").append(CLEAN).append(", ").append(CORRUPTED).append(", \"").append(TERMS.get(k))
                    .append("\", d)\nscores = append(scores, p.score)\npatched = append(patched, p.patched)\n");
        }
        s.append("S = stack(scores, term)\nP = stack(patched, term)\nc = p.clean\nkk = p.corrupted\n");
        Scripts r = run(s.toString());
        double[] score = new double[some.length];
        double[] patched = new double[some.length];
        for (int i = 0; i < some.length; i++) {
            score[i] = expected.get("score").data()[some[i]];
            patched[i] = expected.get("patched").data()[some[i]];
        }
        assertNear(score, r.values("S"), 1e-11, "scores");
        assertNear(patched, r.values("P"), 1e-12, "patched metrics");
        assertNear(expected.get("metric_clean").data(), r.values("c"), 1e-12, "clean metric");
        assertNear(expected.get("metric_corrupted").data(), r.values("kk"), 1e-12, "corrupted metric");
    }

    /** The identities, on the expansion of a model with every kind of term (frozen patterns too). */
    @ParameterizedTest(name = "patterns={0}")
    @CsvSource({"false", "true"})
    void droppingAndPatchingAreExact(boolean patterns) {
        Scripts r = run("""
                d = logit_diff_direction(m, 5, 9)
                Ec = path_terms(m, %s, d, patterns=%s)
                Ek = path_terms(m, %s, d, patterns=%s)
                t = item(Ek, 7)
                every = tuple()
                others = tuple()
                for k in range(len(Ek)) {
                    every = append(every, name(item(Ek, k)))
                    if k != 7 { others = append(others, name(item(Ek, k))) }
                }
                dropped = total(drop_terms(Ek, name(t))) - (total(Ek) - t)
                one = total(drop_terms(Ek, others)) - t
                formula = total(patch_terms(Ek, Ec, name(t))) - (total(Ek) - t + item(Ec, 7))
                unpatched = total(drop_terms(patch_terms(Ek, Ec, name(t)), name(t))) + t - total(Ek)
                everything = total(patch_terms(Ek, Ec, every)) - total(Ec)
                itself = total(patch_terms(Ek, Ek, every)) - total(Ek)
                """.formatted(CLEAN, patterns, CORRUPTED, patterns));
        for (String v : List.of("dropped", "one", "formula", "unpatched", "everything", "itself")) {
            assertTrue(Math.abs(r.values(v)[0]) < 1e-12, v + ": " + r.values(v)[0]);
        }
    }

    /** drop_terms and patch_terms work on any expansion: a tagged sum with legs, by name. */
    @Test
    void onAnyExpansion() {
        Scripts r = TransformerTest.run("""
                leg i = 3, j = 2
                a = random(i, j, seed=1)
                b = random(i, j, seed=2)
                c = random(j, seed=3)
                x = (tag(a, "A") + tag(b, "B")) c
                y = (tag(2 * a, "A") + tag(b, "B")) c
                E = expand(x)
                F = expand(y)
                gone = total(drop_terms(E, "A")) - b c
                swapped = total(patch_terms(E, F, "A")) - (2 * a + b) c
                both = total(patch_terms(E, F, tuple("A", "B"))) - y
                """);
        for (String v : List.of("gone", "swapped", "both")) {
            assertTrue(Arrays.stream(r.values(v)).allMatch(z -> Math.abs(z) < 1e-12), v);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "drop_terms(E, \"L1H0<-K-L0H9\")            | the expansion has no term named \"L1H0<-K-L0H9\" (657 names; did you mean \"L1H0<-K-L0H0\"?)",
        "drop_terms(E)                               | drop_terms() needs the names of the terms",
        "drop_terms(E, 3)                            | drop_terms() takes the names of terms (strings, or tuples of them), not a number",
        "patch_terms(E, expand(m.W_U), \"MLP0\")     | the second expansion has no term named \"MLP0\"",
        "patch_terms(E, E, \"MLP2\")                 | the first expansion has no term named \"MLP2\"",
    })
    void termsThatAreNotThereAreRefused(String call, String message) {
        String text = "E = path_terms(m, " + CLEAN + ", logit_diff_direction(m, 5, 9))\nx = " + call + "\n";
        TnError e = assertThrows(TnError.class, () -> run(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(4, e.span().line(), "located at the call: " + e.span().where());
    }

    /** A name that an expansion lacks is reported by tn check too (names are known without computing the terms). */
    @Test
    void aMissingTermIsReportedWhenChecking() {
        String checked = ProcessWeightsTest.check("E = expand(tag(m.W_U, \"L0H1\") + tag(2 * m.W_U, \"L0H2\"))\nx = drop_terms(E, \"C\")\ny = patch_terms(E, E, \"L0H3\")\n");
        assertTrue(checked.contains("<test>:4:") && checked.contains("the expansion has no term named \"C\""), checked);
        assertTrue(checked.contains("<test>:5:") && checked.contains("the first expansion has no term named \"L0H3\" (2 names; did you mean \"L0H1\"?)"), checked);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "m, " + CLEAN + ", [3, 1, 7, 1, 5, 9], \"L0H1\"                   | must have the same number of tokens",
        "m, " + CLEAN + ", " + CLEAN + ", \"L0H1\"                         | the metric is the same on the clean and the corrupted prompt",
        "freeze(m, " + CLEAN + "), " + CLEAN + ", " + CORRUPTED + ", \"L0H1\" | the model is frozen",
        "m, " + CLEAN + ", " + CORRUPTED + ", \"L1H0<-K-L0H9\"              | the first expansion has no term named \"L1H0<-K-L0H9\"",
    })
    void pathPatchRefusesWhatItCannotDo(String args, String message) {
        TnError e = assertThrows(TnError.class, () -> run("p = path_patch(" + args + ", logit_diff_direction(m, 5, 9))\n"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(3, e.span().line(), "located at the call: " + e.span().where());
        // When checking, what needs no model run: the prompts' lengths (tn check does not run the
        // embedding of token ids held in variables, so the terms and frozen models wait for tn run).
        String checked = ProcessWeightsTest.check("p = path_patch(" + args + ", logit_diff_direction(m, 5, 9))\n");
        assertEquals(message.contains("the same number of tokens"), checked.contains(message), "tn check says: " + checked);
    }
}
