package tn.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tn.cli.Main;
import tn.diag.Source;
import tn.diag.Span;
import tn.draw.Diagrams;
import tn.draw.DrawOptions;
import tn.exec.DType;
import tn.net.Net;
import tn.net.Tensor;

/** Single hostile inputs the fuzzer (or the issue) found, each answered quickly and with a located error. */
class HostileInputTest {
    private record Result(int code, String err) {}

    private static Result check(String script) throws IOException {
        Path file = Files.createTempFile("tn-hostile", ".tn");
        try {
            Files.writeString(file, script);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                code = Main.execute(new String[] {"check", file.toString()}, new PrintStream(PrintStream.nullOutputStream()), e);
            }
            return new Result(code, err.toString(StandardCharsets.UTF_8).replace(file.toString(), "h.tn"));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aRangeWhoseLengthOverflowsIsRefusedAtOnce() {
        // stop - start = 2^63 overflowed to a negative count, passed the one-million cap, and
        // the loop then filled the heap for a minute.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (String range : List.of("range(-1, 9223372036854775807)", "range(-9223372036854775807, 1)", "range(-1e300, 1e300)")) {
                Result r = check("for k in " + range + " {\n    print(k)\n}\n");
                assertEquals(1, r.code(), range + ": " + r.err());
                assertTrue(r.err().startsWith("h.tn:1:10: range() of more than a million numbers"), range + ": " + r.err());
            }
        });
    }

    @Test
    void aRangeOfAMillionIsStillAllowed() throws IOException {
        Result r = check("n = len(range(-1, 999999))\nassert n == 1000000\n");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void hugeLabelsGiveAPngOfBoundedSize() {
        // A leg name of 100,000 characters and a tensor named with a million: the image was
        // 1,915,372 pixels wide (43 s), or failed with an invalid scanline stride, or ran out of
        // heap; with longer labels w * h overflowed an int (NegativeArraySizeException).
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Source source = new Source("h.tn", "x");
            Net leg = new Net.Leaf(Tensor.signature(List.of("i".repeat(100_000)), new long[] {2}, DType.FLOAT32), "ones", new Span(source, 0, 1));
            Net label = new Net.Leaf(Tensor.signature(List.of("i"), new long[] {2}, DType.FLOAT32), "ones", new Span(source, 0, 1));
            label.nameIfAnonymous("A".repeat(1_000_000));
            for (Net net : List.of(leg, label)) {
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(Diagrams.png(net, "x", DrawOptions.defaults())));
                assertTrue(img.getWidth() >= 1 && img.getHeight() >= 1);
                assertTrue(img.getWidth() <= 1 << 15 && img.getHeight() <= 1 << 15, img.getWidth() + " x " + img.getHeight());
                assertTrue((long) img.getWidth() * img.getHeight() <= 1 << 25, img.getWidth() + " x " + img.getHeight());
            }
        });
    }

    @Test
    void anImportPathWithANulCharacterIsALocatedError() throws IOException {
        Result r = check("import \"lib\u0000.tn\"\n");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("h.tn:1:1: cannot import this: not a valid path"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void aFileNameWithANulCharacterIsALocatedErrorInEveryBuiltin() throws IOException {
        // Found by the fuzzer in load (FileIo.resolve), directions' labels (Spectra.labels) and
        // load_gpt2: InvalidPathException escaped as an internal error.
        for (String statement : List.of("W = load(\"w\u0000.npy\", i, j)", "m = load_gpt2(\"m\u0000.safetensors\", heads=2)",
                "directions(ones(i, j), i=\"l\u0000.txt\")", "save(ones(i), \"o\u0000.npy\")")) {
            Result r = check("leg i = 2, j = 3\n" + statement + "\n");
            assertEquals(1, r.code(), statement + ": " + r.err());
            assertTrue(r.err().startsWith("h.tn:2:1: a file name in this statement is not a valid path (Nul character not allowed)"),
                    statement + ": " + r.err());
        }
    }

    @Test
    void anImportInALoopOfAMillionIsReadOnce() {
        // Found by the fuzzer: every iteration read the module's text again before finding it
        // imported already (15.6 s of CPU to check; 1.9 s now).
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Result r = check("for k in range(1000000) {\n    import linalg\n}\n");
            assertEquals(0, r.code(), r.err());
        });
    }

    @Test
    void theProductRuleOnAHugeProductIsRefusedNotBuilt() {
        // Found by the fuzzer: y = V W V W ... x with W 2,500 times; grad(y, W) has 2,500 terms of
        // 5,000 factors and took 27 s of CPU to check. A derivative over a million factors is
        // refused at once; one just under the limit is still taken.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            String head = "leg i = 3, j = 4, k = 2\nW = random(i, j, seed=1)\nx = random(j, seed=2)\nV = random(k, i, seed=3)\n";
            Result r = check(head + "y = " + "V W ".repeat(1000) + "x\ng = grad(y, W)\n");
            assertEquals(1, r.code(), r.err());
            // (V W V W ... is also an accidental hyperedge: a warning comes first.)
            assertTrue(r.err().contains("h.tn:6:10: the derivative would have more than 1000000 factors"), r.err());
            Result small = check(head + "y = " + "V W ".repeat(400) + "x\ng = grad(y, W)\n");
            assertEquals(0, small.code(), small.err());
        });
    }
}
