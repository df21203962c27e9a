package tn.repl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.nd4j.Nd4jBackend;
import tn.interp.Settings;
import tn.plan.Planner;
import tn.repl.TerminalImages.Protocol;

/**
 * `:draw` in terminals that show images: which protocol each terminal's environment implies, the
 * escape sequences (kitty's chunks of at most 4096 base64 characters, m=1 on all but the last;
 * iTerm2's single OSC 1337 with the byte count), decoded back to the very PNG bytes, and `:draw`
 * sending the diagram's PNG to such a terminal while still writing the file.
 */
class TerminalImagesTest {
    @TempDir
    Path dir;

    @Test
    void theProtocolIsReadFromTheTerminalsEnvironment() {
        assertEquals(Protocol.KITTY, TerminalImages.detect(Map.of("TERM", "xterm-kitty")));
        assertEquals(Protocol.KITTY, TerminalImages.detect(Map.of("KITTY_WINDOW_ID", "1", "TERM", "screen")));
        assertEquals(Protocol.KITTY, TerminalImages.detect(Map.of("TERM", "xterm-ghostty")));
        assertEquals(Protocol.ITERM, TerminalImages.detect(Map.of("TERM_PROGRAM", "iTerm.app")));
        assertEquals(Protocol.ITERM, TerminalImages.detect(Map.of("TERM_PROGRAM", "WezTerm")));
        assertEquals(Protocol.ITERM, TerminalImages.detect(Map.of("LC_TERMINAL", "iTerm2")));
        assertEquals(Protocol.NONE, TerminalImages.detect(Map.of("TERM", "xterm-256color")));
        assertEquals(Protocol.NONE, TerminalImages.detect(Map.of()));
        assertEquals(Protocol.KITTY, TerminalImages.detect(Map.of("TN_IMAGES", "kitty", "TERM", "screen")), "over tmux");
        assertEquals(Protocol.NONE, TerminalImages.detect(Map.of("TN_IMAGES", "none", "TERM", "xterm-kitty")), "turned off");
    }

    @Test
    void kittyChunksDecodeToThePng() {
        byte[] png = new byte[10_000];
        for (int i = 0; i < png.length; i++) png[i] = (byte) (i * 31 + 7);
        String s = TerminalImages.escape(Protocol.KITTY, png);
        Matcher m = Pattern.compile("\033_G([^;]*);([^\033]*)\033\\\\").matcher(s);
        StringBuilder data = new StringBuilder();
        java.util.List<String> keys = new java.util.ArrayList<>();
        int chunks = 0, end = 0;
        while (m.find()) {
            assertEquals(end, m.start(), "nothing between the sequences");
            end = m.end();
            String payload = m.group(2);
            assertTrue(payload.length() <= 4096, "chunk " + chunks + " has " + payload.length());
            keys.add(m.group(1));
            data.append(payload);
            chunks++;
        }
        assertEquals(s.length(), end);
        assertEquals(4, chunks, "13,336 base64 characters in chunks of 4096");
        assertEquals(java.util.List.of("f=100,a=T,m=1", "m=1", "m=1", "m=0"), keys);
        assertArrayEquals(png, Base64.getDecoder().decode(data.toString()));
    }

    @Test
    void itermIsOneSequenceWithTheByteCount() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        String s = TerminalImages.escape(Protocol.ITERM, png);
        assertEquals("\033]1337;File=inline=1;size=7;preserveAspectRatio=1:" + Base64.getEncoder().encodeToString(png) + "\007", s);
        assertEquals("", TerminalImages.escape(Protocol.NONE, png));
    }

    @Test
    void drawShowsThePngInSuchATerminalAndWritesTheFile() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        Session s = new Session(new Nd4jBackend(), new Planner(), out, out, 1e9, new Settings());
        s.run("leg i = 2, j = 3\nA = random(i, j, seed=1)\n");
        Path file = dir.resolve("a.svg");
        s.setImages(Protocol.ITERM);
        Commands.execute(s, ":draw A " + file);
        String text = sink.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\033]1337;File=inline=1;size=(\\d+);preserveAspectRatio=1:([A-Za-z0-9+/=]+)\007").matcher(text);
        assertTrue(m.find(), text);
        byte[] png = Base64.getDecoder().decode(m.group(2));
        assertEquals(Integer.parseInt(m.group(1)), png.length);
        assertEquals("\u0089PNG", new String(png, 0, 4, StandardCharsets.ISO_8859_1), "a PNG");
        assertTrue(text.endsWith("drew " + file + "\n"), text);
        assertTrue(Files.readString(file).startsWith("<svg") || Files.readString(file).startsWith("<?xml"), "the file is written too");

        sink.reset();
        s.setImages(Protocol.NONE);
        Commands.execute(s, ":draw A " + file);
        assertFalse(sink.toString(StandardCharsets.UTF_8).contains("\033"), "no escape codes where images are not shown");
    }
}
