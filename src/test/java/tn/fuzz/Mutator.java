package tn.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import tn.syntax.gen.TnLexer;

/**
 * Mutations of real scripts (examples, error cases, the standard library): at the level of tn's
 * tokens (delete, duplicate, swap, replace with another script's token or an edge number, repeat
 * a run of tokens many times), of characters (insert odd characters, delete or repeat a stretch,
 * splice two scripts), and of bytes (invalid UTF-8 for the file reader).
 */
final class Mutator {
    private static final List<String> CHARS = List.of("(", ")", "[", "]", "{", "}", ",", ";", "\n", "=", "->", "-", "+", "*",
            "/", "^", ".", "'", "\"", "#", "\\\n", "@", ":", "**", "0", "9", " ", "é", "\u0000", "\ud800", "😀", "\u202e", "\t");
    private static final byte[][] BAD_BYTES = {
        {(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, {0}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}};

    private final Random random;
    private final List<String> corpus;
    private final List<String> tokenPool = new ArrayList<>();

    Mutator(Random random, List<String> corpus) {
        this.random = random;
        this.corpus = corpus;
        for (String script : corpus) for (Token t : tokens(script)) tokenPool.add(t.getText());
    }

    String mutate(String script) {
        String s = script;
        int rounds = 1 + random.nextInt(random.nextInt(8) == 0 ? 12 : 3);
        for (int r = 0; r < rounds; r++) s = random.nextBoolean() ? tokenLevel(s) : charLevel(s);
        return s;
    }

    /** The script's bytes with invalid UTF-8 (or a BOM, or NUL) put in, for the reader. */
    byte[] mutateBytes(String script) {
        byte[] b = script.getBytes(StandardCharsets.UTF_8);
        byte[] bad = BAD_BYTES[random.nextInt(BAD_BYTES.length)];
        int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
        byte[] out = Arrays.copyOf(b, b.length + bad.length);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(b, at, out, at + bad.length, b.length - at);
        return out;
    }

    private String tokenLevel(String s) {
        List<String> t = new ArrayList<>();
        for (Token tok : tokens(s)) t.add(tok.getText());
        if (t.isEmpty()) return charLevel(s);
        int at = random.nextInt(t.size());
        switch (random.nextInt(7)) {
            case 0 -> t.remove(at);
            case 1 -> t.add(at, t.get(at));
            case 2 -> {
                int other = random.nextInt(t.size());
                String x = t.get(at);
                t.set(at, t.get(other));
                t.set(other, x);
            }
            case 3 -> t.set(at, tokenPool.get(random.nextInt(tokenPool.size())));
            case 4 -> t.set(at, ScriptGenerator.NUMBERS.get(random.nextInt(ScriptGenerator.NUMBERS.size())));
            case 5 -> {
                // A run of tokens repeated: long chains and deep nesting.
                int len = 1 + random.nextInt(Math.min(4, t.size() - at));
                List<String> run = new ArrayList<>(t.subList(at, at + len));
                int times = List.of(2, 10, 100, 300, 1000, 5000).get(random.nextInt(6));
                for (int k = 0; k < times; k++) t.addAll(at, run);
            }
            default -> t.add(at, tokenPool.get(random.nextInt(tokenPool.size())));
        }
        return String.join(" ", t);
    }

    private String charLevel(String s) {
        int at = s.isEmpty() ? 0 : random.nextInt(s.length() + 1);
        switch (random.nextInt(6)) {
            case 0 -> {
                int end = Math.min(s.length(), at + 1 + random.nextInt(20));
                return s.substring(0, at) + s.substring(end);
            }
            case 1 -> {
                int end = Math.min(s.length(), at + 1 + random.nextInt(8));
                String run = s.substring(at, end);
                int times = List.of(2, 10, 100, 1000, 5000).get(random.nextInt(5));
                return s.substring(0, at) + run.repeat(times) + s.substring(at);
            }
            case 2 -> {
                String other = corpus.get(random.nextInt(corpus.size()));
                int from = other.isEmpty() ? 0 : random.nextInt(other.length());
                int to = Math.min(other.length(), from + random.nextInt(200));
                return s.substring(0, at) + other.substring(from, to) + s.substring(at);
            }
            default -> {
                return s.substring(0, at) + CHARS.get(random.nextInt(CHARS.size())) + s.substring(at);
            }
        }
    }

    /** The script's tokens (comments and spaces dropped; line breaks kept). */
    private static List<? extends Token> tokens(String script) {
        TnLexer lexer = new TnLexer(CharStreams.fromString(script));
        lexer.removeErrorListeners();
        List<? extends Token> all = lexer.getAllTokens();
        return all;
    }
}
