package tn.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Examples are tests: every examples/*.tn runs with `tn run` and must print exactly its
 * checked-in examples/*.out, with nothing on standard error and exit code 0.
 */
class ExamplesTest {
    @TestFactory
    Stream<DynamicTest> everyExampleMatchesItsExpectedOutput() throws IOException {
        var scripts = Golden.files(Path.of("examples"), ".tn");
        assertFalse(scripts.isEmpty(), "no examples found");
        return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            Golden.Result r = Golden.run("run", script.toString());
            assertEquals("", r.err(), "standard error of " + script);
            assertEquals(0, r.exitCode(), "exit code of " + script);
            Golden.compare(Golden.sibling(script, ".out"), r.out());
        }));
    }
}
