package tn.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Scripts that run but earn a warning: each src/test/resources/warnings/*.tn exits with 0, prints
 * exactly its *.out on standard output and its *.err (file:line:col: warning:, the line, a caret)
 * on standard error, once (the checking pass reports it; the run does not repeat it).
 */
class WarningsTest {
    @TestFactory
    Stream<DynamicTest> everyWarnedScriptRunsAndGivesItsExactWarning() throws IOException {
        Path dir = Path.of("src/test/resources/warnings");
        var scripts = Golden.files(dir, ".tn");
        assertFalse(scripts.isEmpty(), "no warning cases found");
        return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            Golden.Result r = Golden.run("run", script.toString());
            assertEquals(0, r.exitCode(), "exit code of " + script + "\n" + r.err());
            Golden.compare(Golden.sibling(script, ".err"), r.err());
            Golden.compare(Golden.sibling(script, ".out"), r.out());
        }));
    }
}
