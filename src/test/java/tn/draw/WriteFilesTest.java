package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.golden.Golden;
import tn.io.FileNames;

/**
 * Files written by `tn draw`, draw(), save() and savez(): names made from long tensor names fit
 * the file system, and a write that cannot happen says why.
 */
class WriteFilesTest {
    @TempDir Path tmp;

    private Path script(String text) throws Exception {
        Path p = tmp.resolve("s.tn");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void aTensorNameTooLongForAFileNameIsShortenedWithAHashAndSaidSo() throws Exception {
        String longName = "W".repeat(300);
        String other = "W".repeat(299) + "V";
        Path s = script("leg i = 2, j = 3\nA = random(i, j, seed=1)\n" + longName + " = A A[i, k]\n" + other + " = A A[i, m]\n");
        Path out = tmp.resolve("out");
        Golden.Result r = Golden.run("draw", s.toString(), "-d", out.toString(), "--png");
        assertEquals(0, r.exitCode(), r.err());
        List<String> files;
        try (Stream<Path> l = Files.list(out)) {
            files = l.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(4, files.size(), files.toString()); // two names that share 250 letters do not collide
        for (String f : files) assertTrue(f.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_BYTES, f);
        String svg = FileNames.fit(longName, ".svg");
        assertTrue(files.contains(svg), files.toString());
        assertTrue(r.out().contains("wrote " + out.resolve(svg) + " (the name " + longName
                + " is too long for a file name: shortened, with a hash of the whole)"), r.out());
        // The same name gives the same file again.
        assertEquals(svg, FileNames.fit(longName, ".svg"));
    }

    @Test
    void fitKeepsShortNamesAndCutsLongOnesOnCharacterBoundaries() {
        assertEquals("AB.svg", FileNames.fit("AB", ".svg"));
        String greek = "\u03b1".repeat(200); // two bytes each: 400 bytes
        String fitted = FileNames.fit(greek, ".svg");
        assertTrue(fitted.getBytes(StandardCharsets.UTF_8).length <= 255, fitted);
        assertTrue(fitted.matches("\u03b1+-[0-9a-f]{8}\\.svg"), fitted);
    }

    @Test
    void aDrawThatCannotBeWrittenSaysWhy() throws Exception {
        Files.createDirectory(tmp.resolve("AB.svg"));
        Files.writeString(tmp.resolve("AB.svg").resolve("keep"), "x");
        Path s = script("leg i = 2, j = 3\nA = random(i, j, seed=1)\nAB = A A[i, k]\n");
        Golden.Result r = Golden.run("draw", s.toString(), "-d", tmp.toString());
        assertEquals(1, r.exitCode());
        assertEquals("error: cannot write " + tmp.resolve("AB.svg") + ": it is a directory\n", r.err());
        r = Golden.run("draw", s.toString(), "-o", "/proc/x.svg");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: cannot write /proc/x.svg: ") && !r.err().endsWith(": /proc/x.svg\n"), r.err());
    }

    @Test
    void saveAndDrawInAScriptSayWhyTheyCannotWrite() throws Exception {
        Files.writeString(tmp.resolve("plain"), "a file, not a folder");
        Files.createDirectory(tmp.resolve("d.npy"));
        Files.writeString(tmp.resolve("d.npy").resolve("keep"), "x");
        Path s = script("""
                leg i = 2
                x = ones(i)
                save(x, "nowhere/x.npy")
                """);
        Golden.Result r = Golden.run("run", s.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith(s + ":3:9: cannot write nowhere/x.npy: no such directory\n"), r.err());
        Files.writeString(s, "leg i = 2\nx = ones(i)\nsave(x, \"d.npy\")\n");
        r = Golden.run("run", s.toString());
        assertTrue(r.err().startsWith(s + ":3:9: cannot write d.npy: it is a directory\n"), r.err());
        Files.writeString(s, "leg i = 2\nx = ones(i)\nsavez(\"plain/m.npz\", x=x)\n");
        r = Golden.run("run", s.toString());
        assertTrue(r.err().startsWith(s + ":3:7: cannot write plain/m.npz: a part of its path is a file, not a directory\n"), r.err());
        Files.writeString(s, "leg i = 2\nx = ones(i)\ndraw(x, \"plain/x.svg\")\n");
        r = Golden.run("run", s.toString());
        assertTrue(r.err().startsWith(s + ":3:9: cannot write plain/x.svg: a part of its path is a file"), r.err());
        try (Stream<Path> l = Files.list(tmp)) {
            assertEquals(List.of("d.npy", "plain", "s.tn"), l.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
