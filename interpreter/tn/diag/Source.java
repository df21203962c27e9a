package tn.diag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A script's text with its display name (a path, `<repl>`, ...), able to give back any line.
 * {@link #read} is the one place where tn reads a script file (run, check, plan, draw, imports,
 * the REPL's :load), so every command reports a bad file the same way.
 */
public final class Source {
    private final String name;
    private final String text;
    private final int[] lineStarts;

    public Source(String name, String text) {
        this.name = name;
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts.add(i + 1);
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Reads a script (or another text file tn reads, such as a network's JSON) as UTF-8, the only
     * encoding tn reads text in.
     *
     * @param name the name shown in messages (usually the path as the user wrote it)
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws IOException when the file cannot be read
     * @throws TnError when the file is not valid UTF-8: located at the first invalid byte (line,
     *     column and byte offset), showing that line with the byte as U+FFFD
     */
    public static Source read(Path file, String name) throws IOException {
        return decode(Files.readAllBytes(file), name);
    }

    /** A script from the bytes of its file, as {@link #read} makes it. */
    public static Source decode(byte[] bytes, String name) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = strict.decode(in, out, true);
        if (!result.isError()) result = strict.flush(out);
        if (!result.isError()) return new Source(name, out.flip().toString());
        // Everything before the bad byte decoded the same way, so its offset in the lenient text
        // (each invalid sequence replaced by U+FFFD) is the number of characters decoded so far.
        int badByte = in.position();
        int charOffset = out.position();
        Source shown = new Source(name, new String(bytes, StandardCharsets.UTF_8));
        String message = String.format(Locale.ROOT, "the file is not valid UTF-8 (byte 0x%02X at byte offset %d: Latin-1 or "
                + "Windows-1252 text?); tn reads text files as UTF-8: save it as UTF-8", bytes[badByte] & 0xFF, badByte);
        throw new TnError(new Span(shown, charOffset, charOffset + 1), message);
    }

    public String name() { return name; }

    public String text() { return text; }

    /** The text of a 1-based line, without its line break ("" when out of range). */
    public String line(int line) {
        if (line < 1 || line > lineStarts.length) return "";
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') end--;
        return text.substring(start, Math.max(start, end));
    }

    /** The 1-based line holding a character offset. */
    public int lineOf(int offset) {
        int lo = 0, hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
        }
        return lo + 1;
    }

    /** The 1-based column of a character offset. */
    public int columnOf(int offset) {
        return offset - lineStarts[lineOf(offset) - 1] + 1;
    }
}
