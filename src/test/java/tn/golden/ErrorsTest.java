package tn.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The table of bad scripts: each src/test/resources/errors/*.tn fails with exit code 1 and prints
 * exactly its *.err (file:line:col, message, source line, caret), never a stack trace.
 */
class ErrorsTest {
    @TestFactory
    Stream<DynamicTest> everyBadScriptGivesItsExactMessage() throws IOException {
        Path dir = Path.of("src/test/resources/errors");
        var scripts = Golden.files(dir, ".tn");
        assertFalse(scripts.isEmpty(), "no error cases found");
        return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            Golden.Result r = Golden.run("run", script.toString());
            assertEquals(1, r.exitCode(), "exit code of " + script + "\n" + r.err());
            assertFalse(r.err().contains("Exception"), "a Java exception reached the user:\n" + r.err());
            assertFalse(r.err().contains("\tat "), "a stack trace reached the user:\n" + r.err());
            Golden.compare(Golden.sibling(script, ".err"), r.out() + r.err());
        }));
    }
}
