package tn.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a script that prints the tokens an editor's highlighter gives files (one JSON object per
 * file: {"file": path, "tokens": [[type, text], ...]}) and gathers them by type, for
 * PygmentsLexerTest and CodeMirrorModeTest.
 */
final class EditorTokens {
    private EditorTokens() {}

    /**
     * The tokens of each file by type, in order; types for which {@code plain} is true (and null)
     * are left out, and key "" holds the file's text as all the tokens spell it.
     */
    static Map<String, Map<String, List<String>>> run(List<String> command, java.util.function.Predicate<String> plain) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not finish in 60 s");
        assertEquals(0, p.exitValue(), out);
        Map<String, Map<String, List<String>>> byFile = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            Map<String, List<String>> byType = new LinkedHashMap<>();
            StringBuilder text = new StringBuilder();
            for (JsonElement e : o.getAsJsonArray("tokens")) {
                JsonArray pair = e.getAsJsonArray();
                String type = pair.get(0).isJsonNull() ? null : pair.get(0).getAsString(), value = pair.get(1).getAsString();
                text.append(value);
                if (type != null && !plain.test(type)) byType.computeIfAbsent(type, k -> new ArrayList<>()).add(value);
            }
            byType.put("", List.of(text.toString()));
            byFile.put(o.get("file").getAsString(), byType);
        }
        return byFile;
    }

    /** The .tn scripts of examples/ and stdlib/. */
    static List<Path> scripts() throws IOException {
        List<Path> scripts = new ArrayList<>();
        for (String dir : List.of("examples", "stdlib")) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".tn")).sorted().forEach(scripts::add);
            }
        }
        assertTrue(scripts.size() > 40, scripts.toString());
        return scripts;
    }

    /** Whether {@code command} runs and exits with 0 (a program and what it imports are there). */
    static boolean works(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
