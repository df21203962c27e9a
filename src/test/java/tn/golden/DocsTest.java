package tn.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tn.interp.Builtins;

/**
 * The docs are tests: every code block of README.md and docs/*.md runs and must print what the
 * docs show next to it (the convention is in {@link DocBlocks}). A failure names the file and line
 * of the block and shows a diff. -Dtn.golden.update=true rewrites the output and error blocks with
 * what tn prints (review the diff). Also: every builtin is documented in docs/language.md, the
 * README's phase table names every package, and every path and link the docs give exists.
 */
class DocsTest {
    @TempDir Path tmp;

    static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(Path.of("README.md"));
        docs.addAll(Golden.files(Path.of("docs"), ".md"));
        return docs;
    }

    @TestFactory
    Stream<DynamicTest> everyBlockRunsAndPrintsWhatTheDocsShow() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path doc : docs()) {
            DocBlocks.Parsed parsed = DocBlocks.parse(doc.toString(), Files.readString(doc, StandardCharsets.UTF_8));
            for (DocBlocks.Runnable r : parsed.runnable()) {
                String name = r.block().where() + " (" + r.block().info() + ")";
                tests.add(DynamicTest.dynamicTest(name, () -> run(doc, r)));
            }
        }
        return tests.stream();
    }

    /** Every block is a tn, sh, output, error or fragment block; the fragments are listed in the test log. */
    @Test
    void everyBlockIsClassified() throws IOException {
        List<String> problems = new ArrayList<>();
        int runnable = 0;
        List<String> fragments = new ArrayList<>();
        for (Path doc : docs()) {
            DocBlocks.Parsed p = DocBlocks.parse(doc.toString(), Files.readString(doc, StandardCharsets.UTF_8));
            problems.addAll(p.problems());
            runnable += p.runnable().size();
            for (DocBlocks.Block b : p.fragments()) fragments.add(b.where());
        }
        System.out.println("DocsTest: " + runnable + " blocks run; fragments not run: " + (fragments.isEmpty() ? "none" : String.join(", ", fragments)));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(runnable > 0, "no runnable blocks found");
    }

    // ---- running blocks ---------------------------------------------------------------------

    void run(Path doc, DocBlocks.Runnable r) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "block");
        Path examples = copyExamples(dir);
        Golden.Result result = r.block().kind() == DocBlocks.Kind.TN ? runScript(r.block(), examples) : runCommands(r.block(), dir);
        String where = r.block().where();
        boolean update = Boolean.getBoolean("tn.golden.update");
        if (update) update(doc, r, result);
        if (r.error() != null) {
            assertTrue(result.exitCode() == 1 || result.exitCode() == 2,
                    where + ": the block should fail (an error block follows it) but its exit code is " + result.exitCode());
            if (!update) same(where, r.error(), result.err(), "standard error");
        } else if (result.exitCode() != 0 || !result.err().isEmpty()) {
            fail(where + ": the block failed (exit code " + result.exitCode() + "):\n" + result.err());
        }
        if (r.output() != null) {
            if (!update) same(where, r.output(), result.out(), "standard output");
        } else if (r.block().kind() == DocBlocks.Kind.TN && !result.out().isEmpty()) {
            fail(where + ": the block prints this, which the docs do not show (add an output block):\n" + result.out());
        }
    }

    private static void same(String where, DocBlocks.Block expected, String actual, String what) {
        if (!expected.text().equals(actual)) {
            fail(where + ": the block's " + what + " differs from what the docs show at " + expected.where() + "\n"
                    + TextDiff.diff(expected.text(), actual));
        }
    }

    /** A tn block: a script in a copy of examples/, run in-process; paths printed relative to it. */
    private static Golden.Result runScript(DocBlocks.Block block, Path examples) throws IOException {
        Path script = examples.resolve(block.scriptName());
        if (Files.exists(script)) fail(block.where() + ": " + block.scriptName() + " is an example's name; choose another");
        Files.writeString(script, block.text(), StandardCharsets.UTF_8);
        Golden.Result r = Golden.run("run", script.toString());
        String prefix = examples + File.separator;
        return new Golden.Result(r.exitCode(), r.out().replace(prefix, ""), r.err().replace(prefix, ""));
    }

    /**
     * An sh block: each `tn` command runs in its own JVM, in a folder holding a copy of examples/
     * (commands may write files relative to the current directory, as `tn draw` does). Without an
     * output block, `tn run examples/X.tn` must print examples/X.out.
     */
    private static Golden.Result runCommands(DocBlocks.Block block, Path dir) throws Exception {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        int code = 0;
        int commands = 0;
        String[] lines = block.text().split("\n");
        for (int k = 0; k < lines.length; k++) {
            List<String> words = ShellWords.split(lines[k]);
            if (words == null) fail(block.file() + ":" + (block.line() + k + 1) + ": shell syntax the docs test cannot run: " + lines[k]);
            if (words.isEmpty() || !(words.get(0).equals("tn") || words.get(0).equals("./tn"))) continue;
            commands++;
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), "tn.cli.Main"));
            command.addAll(words.subList(1, words.size()));
            Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
            p.getOutputStream().close();
            String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String e = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(block.where() + ": " + lines[k] + " did not finish in 5 minutes");
            }
            out.append(o);
            err.append(e);
            code = Math.max(code, p.exitValue());
            if (words.size() == 3 && words.get(1).equals("run") && words.get(2).matches("examples/[^/]+\\.tn")) {
                Path expected = Path.of(words.get(2).replaceAll("\\.tn$", ".out"));
                String shown = Files.readString(expected, StandardCharsets.UTF_8);
                if (!shown.equals(o)) fail(block.where() + ": " + lines[k].strip() + " does not print " + expected + "\n" + TextDiff.diff(shown, o));
            }
        }
        if (commands == 0) fail(block.where() + ": an sh block with no tn command in it runs nothing; mark it 'sh fragment'");
        return new Golden.Result(code, out.toString(), err.toString());
    }

    private static Path copyExamples(Path dir) throws IOException {
        Path target = dir.resolve("examples");
        Path source = Path.of("examples");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        return target;
    }

    /** -Dtn.golden.update=true: the output and error blocks take what tn prints now. */
    private static synchronized void update(Path doc, DocBlocks.Runnable r, Golden.Result result) throws IOException {
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        if (r.output() != null) text = DocBlocks.replaceBody(doc.toString(), text, r.output().index(), result.out());
        if (r.error() != null) text = DocBlocks.replaceBody(doc.toString(), text, r.error().index(), result.err());
        Files.writeString(doc, text, StandardCharsets.UTF_8);
    }

    // ---- what the docs must cover -------------------------------------------------------------

    /** Every registered builtin appears in docs/language.md as code: `name(...)` or `name`. */
    @Test
    void everyBuiltinIsDocumentedInTheLanguageReference() throws IOException {
        String language = Files.readString(Path.of("docs/language.md"), StandardCharsets.UTF_8);
        StringBuilder code = new StringBuilder();
        Matcher spans = Pattern.compile("`([^`\n]+)`").matcher(language);
        while (spans.find()) code.append(spans.group(1)).append('\n');
        for (DocBlocks.Block b : DocBlocks.blocks("docs/language.md", language)) code.append(b.text());
        List<String> missing = new ArrayList<>();
        for (String name : Builtins.names()) {
            Pattern call = Pattern.compile("(?<![\\w.'])" + Pattern.quote(name) + "\\(|(?m)^" + Pattern.quote(name) + "$");
            if (!call.matcher(code).find()) missing.add(name);
        }
        assertEquals(List.of(), missing, "builtins not documented in docs/language.md (as code: `name(...)`)");
    }

    /**
     * docs/builtins.md is the registry's own reference (Builtins.reference(): the signatures and
     * summaries `:help`, `NAME?` and the kernel's inspection show), so the three cannot drift.
     */
    @Test
    void theBuiltinReferenceIsGeneratedFromTheRegistry() throws IOException {
        Path doc = Path.of("docs/builtins.md");
        String expected = tn.interp.Builtins.reference();
        if (Boolean.getBoolean("tn.golden.update")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(doc), "missing " + doc + " (run with -Dtn.golden.update=true)");
        assertEquals(expected, Files.readString(doc, StandardCharsets.UTF_8),
                "docs/builtins.md differs from the registry of builtins (run with -Dtn.golden.update=true)");
    }

    /**
     * The README's notebook pictures are the tour notebook's own stored outputs (the SVG a cell
     * showed, which KernelTest checks against a fresh run), so they cannot drift from what the
     * kernel shows.
     */
    @Test
    void theReadmesNotebookPicturesAreTheTourNotebooksOutputs() throws IOException {
        com.google.gson.JsonObject nb = com.google.gson.JsonParser.parseString(
                Files.readString(Path.of("examples/notebooks/tour.ipynb"), StandardCharsets.UTF_8)).getAsJsonObject();
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Map<String, String> pictures = new java.util.LinkedHashMap<>();
        pictures.put("docs/img/notebook_draw.svg", "draw(A B x)");
        pictures.put("docs/img/notebook_pattern.svg", "heatmap(pick(item(f.patterns, 1), head=0)");
        for (Map.Entry<String, String> p : pictures.entrySet()) {
            String svg = null;
            for (com.google.gson.JsonElement e : nb.getAsJsonArray("cells")) {
                com.google.gson.JsonObject cell = e.getAsJsonObject();
                if (!cell.get("cell_type").getAsString().equals("code")) continue;
                StringBuilder source = new StringBuilder();
                for (com.google.gson.JsonElement line : cell.getAsJsonArray("source")) source.append(line.getAsString());
                if (!source.toString().contains(p.getValue())) continue;
                for (com.google.gson.JsonElement o : cell.getAsJsonArray("outputs")) {
                    com.google.gson.JsonObject data = o.getAsJsonObject().getAsJsonObject("data");
                    if (data == null || !data.has("image/svg+xml")) continue;
                    com.google.gson.JsonElement v = data.get("image/svg+xml");
                    StringBuilder text = new StringBuilder();
                    if (v.isJsonArray()) for (com.google.gson.JsonElement line : v.getAsJsonArray()) text.append(line.getAsString());
                    else text.append(v.getAsString());
                    svg = text.toString();
                }
            }
            assertTrue(svg != null, "no SVG output of a cell with " + p.getValue() + " in the tour notebook");
            Path file = Path.of(p.getKey());
            if (Boolean.getBoolean("tn.golden.update")) {
                Files.writeString(file, svg, StandardCharsets.UTF_8);
            } else {
                assertEquals(svg, Files.readString(file, StandardCharsets.UTF_8), file + " is not the notebook's output (run with -Dtn.golden.update=true)");
            }
            assertTrue(readme.contains("(" + p.getKey() + ")"), "README.md shows " + p.getKey());
        }
    }

    /** The README's phase table ("How it works") has one row per package under interpreter/tn. */
    @Test
    void readmePhaseTableNamesEveryPackage() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Set<String> inTable = new TreeSet<>();
        boolean inSection = false;
        for (String line : readme.split("\n")) {
            if (line.startsWith("## ")) inSection = line.equals("## How it works");
            if (!inSection || !line.startsWith("|")) continue;
            String[] cells = line.split("\\|");
            if (cells.length > 2 && cells[2].strip().matches("`[a-z]+`")) inTable.add(cells[2].strip().replace("`", ""));
        }
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(Path.of("interpreter/tn"))) {
            dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
        }
        assertEquals(packages, inTable, "the packages in README.md's phase table and the folders under interpreter/tn");
    }

    /** Relative links and the paths in the README's layout table point at files that exist. */
    @Test
    void linksAndPathsExist() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path doc : docs()) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            Matcher links = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)").matcher(text);
            while (links.find()) {
                String target = links.group(1);
                if (target.matches("[a-z]+:.*")) continue;
                Path base = doc.getParent() != null ? doc.getParent() : Path.of("");
                if (!Files.exists(base.resolve(target))) missing.add(doc + ": link " + target);
            }
        }
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        boolean inLayout = false;
        for (String line : readme.split("\n")) {
            if (line.startsWith("## ")) inLayout = line.equals("## Repository layout");
            if (!inLayout || !line.startsWith("| `")) continue;
            String path = line.split("\\|")[1].strip().replace("`", "");
            if (!Files.exists(Path.of(path))) missing.add("README.md layout table: " + path);
        }
        assertEquals(List.of(), missing);
    }
}
