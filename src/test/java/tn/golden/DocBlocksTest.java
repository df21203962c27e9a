package tn.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The docs test itself: how blocks are read and paired, and what a failing block reports. */
class DocBlocksTest {
    @TempDir Path tmp;

    private static final String DOC = String.join("\n",
            "# A doc",                         // 1
            "",                                // 2
            "```tn",                           // 3
            "print(1 + 1)",                    // 4
            "```",                             // 5
            "",                                // 6
            "prints",                          // 7
            "",                                // 8
            "```output",                       // 9
            "2",                               // 10
            "```",                             // 11
            "",                                // 12
            "```` ```tn ```` is inline code, not a fence",   // 13
            "",                                // 14
            "```tn fragment",                  // 15
            "x = y z",                         // 16
            "```",                             // 17
            "",                                // 18
            "```python",                       // 19
            "print(2)",                        // 20
            "```",                             // 21
            "",                                // 22
            "```error",                        // 23
            "oops",                            // 24
            "```",                             // 25
            "");

    @Test
    void blocksArePairedWithTheOutputShownAfterThem() {
        DocBlocks.Parsed p = DocBlocks.parse("x.md", DOC);
        assertEquals(1, p.runnable().size());
        DocBlocks.Runnable r = p.runnable().get(0);
        assertEquals(3, r.block().line());
        assertEquals("print(1 + 1)\n", r.block().text());
        assertEquals(9, r.output().line());
        assertEquals("2\n", r.output().text());
        // The error block at 23 follows the fragment and an unknown block: it still belongs to line 3.
        assertEquals(23, r.error().line());
        assertEquals(List.of(15), p.fragments().stream().map(DocBlocks.Block::line).toList());
        assertEquals(List.of("x.md:19: a code block with info string 'python': use tn, sh, output, error or 'tn fragment' (see DocBlocks)"),
                p.problems());
    }

    @Test
    void anOutputBlockNeedsABlockBeforeIt() {
        DocBlocks.Parsed p = DocBlocks.parse("y.md", "text\n\n```output\n2\n```\n");
        assertEquals(List.of("y.md:3: an output block with no tn or sh block before it"), p.problems());
    }

    @Test
    void updatingReplacesOneBlocksBody() {
        String updated = DocBlocks.replaceBody("x.md", DOC, 1, "3\n4\n");
        DocBlocks.Runnable r = DocBlocks.parse("x.md", updated).runnable().get(0);
        assertEquals("3\n4\n", r.output().text());
        assertEquals(DOC.replace("```output\n2\n```", "```output\n3\n4\n```"), updated);
    }

    private DocBlocks.Runnable only(String markdown) {
        DocBlocks.Parsed p = DocBlocks.parse("doc.md", markdown);
        assertEquals(List.of(), p.problems());
        return p.runnable().get(0);
    }

    private AssertionFailedError failure(String markdown) {
        DocsTest t = new DocsTest();
        t.tmp = tmp;
        return assertThrows(AssertionFailedError.class, () -> t.run(Path.of("doc.md"), only(markdown)));
    }

    private void passes(String markdown) throws Exception {
        DocsTest t = new DocsTest();
        t.tmp = tmp;
        t.run(Path.of("doc.md"), only(markdown));
    }

    @Test
    void aWrongOutputIsReportedWithItsLineAndADiff() {
        AssertionFailedError e = failure("intro\n\n```tn\nprint(1)\nprint(2)\nprint(3)\n```\n\n```output\n1\n5\n3\n```\n");
        assertTrue(e.getMessage().startsWith("doc.md:3: the block's standard output differs from what the docs show at doc.md:9\n"), e.getMessage());
        assertTrue(e.getMessage().contains("\n--- shown in the docs\n+++ printed by tn\n  1\n- 5\n+ 2\n  3\n"), e.getMessage());
    }

    @Test
    void aBlockThatPrintsWithoutShowingItFails() {
        AssertionFailedError e = failure("```tn\nprint(7)\n```\n");
        assertTrue(e.getMessage().startsWith("doc.md:1: the block prints this, which the docs do not show"), e.getMessage());
    }

    @Test
    void aBrokenBlockFailsWithTheScriptsMessage() {
        AssertionFailedError e = failure("text\n```tn\nx = y\n```\n");
        assertTrue(e.getMessage().startsWith("doc.md:2: the block failed (exit code 1):\nblock.tn:1:5: unknown name y"), e.getMessage());
    }

    @Test
    void errorBlocksShowWhatANamedScriptPrintsOnStandardError() throws Exception {
        // What the script prints when run from another folder, that folder left out of the message:
        // the docs show bad.tn:LINE:COL whatever folder the test runs the block in.
        String script = "leg i = 2\nx = random(i)[j, k]\n";
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("elsewhere"));
        java.nio.file.Files.writeString(dir.resolve("bad.tn"), script);
        String expected = Golden.run("run", dir.resolve("bad.tn").toString()).err().replace(dir + java.io.File.separator, "");
        assertTrue(expected.startsWith("bad.tn:2:"), expected);
        passes("```tn bad.tn\n" + script + "```\n\n```error\n" + expected + "```\n");
        AssertionFailedError e = failure("```tn bad.tn\n" + script + "```\n\n```error\nbad.tn:1:1: no\n```\n");
        assertTrue(e.getMessage().startsWith("doc.md:1: the block's standard error differs from what the docs show at doc.md:6"), e.getMessage());
    }

    @Test
    void shellBlocksRunTnCommandsAndCompareExamplesWithTheirOutput() throws Exception {
        passes("```sh\ntn run examples/03_trace.tn    # a comment\nmvn -B -ntp verify\n```\n");
        AssertionFailedError e = failure("```sh\ntn check examples/03_trace.tn\n```\n\n```output\nfine\n```\n");
        assertTrue(e.getMessage().contains("- fine\n+ examples/03_trace.tn: ok\n"), e.getMessage());
        AssertionFailedError nothing = failure("```sh\nmvn -B -ntp verify\n```\n");
        assertTrue(nothing.getMessage().contains("runs nothing; mark it 'sh fragment'"), nothing.getMessage());
    }

    @Test
    void shellWordsAreSplitLikeAShellOrRefused() {
        assertEquals(List.of("tn", "draw", "a b.tn", "--name", "y"), ShellWords.split("tn draw 'a b.tn' --name y   # one"));
        assertEquals(List.of("tn", "run", "a\"b", "c d"), ShellWords.split("tn run 'a\"b' c\\ d"));
        assertNull(ShellWords.split("tn run x.tn | head"));
        assertNull(ShellWords.split("tn repl < session.tn"));
        assertNull(ShellWords.split("ln -s \"$PWD/tn\" ~/.local/bin/tn"));
    }
}
