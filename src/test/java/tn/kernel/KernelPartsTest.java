package tn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import tn.exec.nd4j.Nd4jBackend;
import tn.interp.Builtins;
import tn.interp.Settings;
import tn.interp.Value;
import tn.interp.builtins.Inspect;
import tn.net.Tensor;
import tn.plan.Planner;
import tn.repl.Session;

/** The kernel's pieces without Jupyter: signing, the HTML of tensors, requests, inline images. */
class KernelPartsTest {
    @TempDir Path tmp;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final List<String> errors = new ArrayList<>();
    private final List<Object[]> values = new ArrayList<>();
    private final List<Object[]> images = new ArrayList<>();

    private Session session(boolean display) {
        PrintStream p = new PrintStream(printed, true, StandardCharsets.UTF_8);
        Session s = new Session(new Nd4jBackend(), new Planner(), p, p, 1e9, new Settings(), "auto");
        s.setOutput(new Session.Output() {
            public void value(String text, String plain, Value v, Tensor x) { values.add(new Object[] {text, plain, x, s}); }
            public void error(String message) { errors.add(message); }
        });
        if (display) s.setDisplay((title, svg, png) -> images.add(new Object[] {title, svg, png.get()}));
        return s;
    }

    private static String[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = tn.cli.Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void theCommandLineSaysWhatIsMissing() throws Exception {
        String[] r = cli("kernel");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("error: tn kernel needs -f CONNECTION_FILE"), r[2]);
        r = cli("kernel", "-f", tmp.resolve("gone.json").toString());
        assertEquals("1", r[0]);
        assertEquals("error: tn kernel: no connection file " + tmp.resolve("gone.json") + "\n", r[2]);
        Files.writeString(tmp.resolve("c.json"), "{\"shell_port\": 1}");
        r = cli("kernel", "-f", tmp.resolve("c.json").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("has no iopub_port (is it a Jupyter connection file?)"), r[2]);
        r = cli("kernel", "install", "--name", "a b", "--prefix", tmp.toString());
        assertEquals("2", r[0]);
        r = cli("kernel", "install", "--name", "tn-dev", "--prefix", tmp.toString());
        assertEquals("0", r[0], r[2]);
        String spec = Files.readString(tmp.resolve("share/jupyter/kernels/tn-dev/kernel.json"));
        assertTrue(spec.contains("\"kernel\",\n    \"-f\",\n    \"{connection_file}\""), spec);
        assertTrue(spec.contains("\"interrupt_mode\": \"message\""), spec);
        // kernel.js, the classic Notebook's CodeMirror mode, next to kernel.json: the file in the repository.
        Path js = tmp.resolve("share/jupyter/kernels/tn-dev/kernel.js");
        assertTrue(Files.isRegularFile(js), "no kernel.js next to kernel.json");
        assertEquals(Files.readString(Path.of("interpreter/tn/kernel/kernel.js")), Files.readString(js));
    }

    @Test
    void kernelInfoNamesTheModeThatKernelJsDefines() throws Exception {
        JsonObject info = Kernel.languageInfo();
        String js = Files.readString(Path.of("interpreter/tn/kernel/kernel.js"));
        Matcher mode = Pattern.compile("CodeMirror\\.defineSimpleMode\\(\"([^\"]+)\"").matcher(js);
        Matcher mime = Pattern.compile("CodeMirror\\.defineMIME\\(\"([^\"]+)\", \"([^\"]+)\"\\)").matcher(js);
        assertTrue(mode.find() && mime.find(), js);
        // The classic Notebook asks CodeMirror for "name"; JupyterLab, which has no mode of that name, for "mime".
        assertEquals("{\"name\":\"" + mode.group(1) + "\",\"mime\":\"text/x-python\"}", info.get("codemirror_mode").toString());
        assertEquals("tn", mode.group(1));
        assertEquals(List.of(info.get("mimetype").getAsString(), "tn"), List.of(mime.group(1), mime.group(2)));
        // Without editors/pygments installed, "tn" would make nbconvert show plain text (and warn): Python's lexer stays.
        assertEquals("python", info.get("pygments_lexer").getAsString());
        assertEquals(".tn", info.get("file_extension").getAsString());
    }

    @Test
    void signaturesAreHmacSha256OfTheFourFramesInHex() {
        // Oracle: Python's hmac.new(b"secret-key", digestmod=hashlib.sha256) over the same frames.
        List<byte[]> frames = List.of("{\"msg_type\":\"x\"}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8), "{\"code\":\"A B\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("d5fc68a1c42cdc9eb9b4773036ec57f403021bdd4c8036cd8fb0bdefc3b1a96c",
                new String(new Wire("secret-key").sign(frames), StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[0], new Wire("").sign(frames), "no key, no signature");
    }

    @Test
    void aMessageSignedWithAnotherKeyIsRefused() {
        try (ZContext context = new ZContext()) {
            ZMQ.Socket a = context.createSocket(SocketType.PAIR), b = context.createSocket(SocketType.PAIR);
            a.bind("inproc://wire");
            b.connect("inproc://wire");
            b.setReceiveTimeOut(2000);
            Wire ours = new Wire("right"), theirs = new Wire("wrong");
            JsonObject content = new JsonObject();
            content.addProperty("code", "A B");
            ours.send(a, ours.reply(null, "execute_request", content), null);
            Wire.Message m = ours.receive(b, 0);
            assertEquals("execute_request", m.type());
            assertEquals("A B", m.content().get("code").getAsString());
            theirs.send(a, theirs.reply(null, "execute_request", content), null);
            assertNull(ours.receive(b, 0), "a wrong signature is refused");
        }
    }

    @Test
    void aMatrixIsATableNamingItsLegsWithBothEndsOfLongAxes() {
        Session s = session(false);
        assertTrue(s.run("leg i = 20, j = 3\nA = arange(i, j)\nA", "<cell 1>"), errors.toString());
        Tensor x = (Tensor) values.get(0)[2];
        String html = Html.tensor("A", x, Inspect.data(s.interpreter(), x), "");
        assertTrue(html.contains("<code>A: [i=20, j=3] float32</code>"), html);
        assertTrue(html.contains("<th>i \\ j</th><th>0</th><th>1</th><th>2</th></tr>"), html);
        // arange: entry (r, c) is 3 r + c. Rows 0..5, a gap, rows 14..19.
        assertTrue(html.contains("<tr><th>5</th><td style=\"text-align: right\">15</td>"), html);
        assertTrue(html.contains("<tr><th>⋮</th>"), html);
        assertFalse(html.contains("<tr><th>6</th>") || html.contains("<tr><th>13</th>"), html);
        assertTrue(html.contains("<tr><th>19</th><td style=\"text-align: right\">57</td><td style=\"text-align: right\">58</td>"
                + "<td style=\"text-align: right\">59</td></tr>"), html);
        assertEquals(14, html.split("<tr><th>", -1).length - 1, "the header, 6 rows, the gap, 6 rows");
    }

    @Test
    void completionAndInspectionCountCodePoints() {
        Session s = session(false);
        assertTrue(s.run("leg i = 2, j = 3\nA = random(i, j, seed=1)", "<cell 1>"), errors.toString());
        String code = "t = \"é😀\"\nB = ran";
        int cursor = code.codePointCount(0, code.length()); // 16 code points, 17 UTF-16 units (😀 is two)
        JsonObject c = Requests.complete(s, code, cursor);
        assertEquals(13, c.get("cursor_start").getAsInt());
        assertEquals(16, c.get("cursor_end").getAsInt());
        assertTrue(c.getAsJsonArray("matches").toString().contains("\"random\""), c.toString());
        JsonObject legs = Requests.complete(s, "B = A[i, ", 9);
        assertEquals("[\"i\",\"j\"]", legs.getAsJsonArray("matches").toString());

        // Inside a call: its keyword arguments, from the builtin's signature or the function's parameters.
        JsonObject bond = Requests.complete(s, "U, S, V = svd(A, left=[i], bo", 29);
        assertEquals("[\"bond=\"]", bond.getAsJsonArray("matches").toString());
        assertEquals(27, bond.get("cursor_start").getAsInt());
        assertEquals("[\"seed=\"]", Requests.complete(s, "x = random(i, se", 16).getAsJsonArray("matches").toString());
        assertTrue(s.run("def scaled(x, factor=2) = factor * x", "<cell 2>"), errors.toString());
        assertEquals("[\"factor=\"]", Requests.complete(s, "scaled(A, fa", 12).getAsJsonArray("matches").toString());
        assertEquals("[]", Requests.complete(s, "scaled(A), fa", 13).getAsJsonArray("matches").toString(), "after the call is closed");

        JsonObject r = Requests.inspect(s, "svd(A, left=[i], ", 17);
        assertTrue(r.get("found").getAsBoolean());
        assertEquals(Builtins.get("svd").signature() + "\n\n" + Builtins.get("svd").summary(),
                r.getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals("leg j = 3", Requests.inspect(s, "j", 1).getAsJsonObject("data").get("text/plain").getAsString());
        assertFalse(Requests.inspect(s, "nothing_here", 3).get("found").getAsBoolean());
    }

    @Test
    void helpIsAskedWithAQuestionMarkAndFitsEightyColumns() {
        Session s = session(false);
        assertEquals(":help svd", tn.repl.Commands.helpQuery("svd? "));
        assertNull(tn.repl.Commands.helpQuery("x = svd?"));
        tn.repl.Commands.execute(s, ":help");
        String help = printed.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("\n  svd svdvals ") || help.contains(" svd svdvals "), help);
        for (String line : help.split("\n")) assertTrue(line.length() <= 80, "longer than 80 columns: " + line);
    }

    @Test
    void blocksAndBracketsAreIncomplete() {
        assertEquals("incomplete", Requests.isComplete("def f(x) {\n  return x").get("status").getAsString());
        assertEquals("incomplete", Requests.isComplete("y = [1, 2,").get("status").getAsString());
        assertEquals("complete", Requests.isComplete("def f(x) {\n  return x\n}").get("status").getAsString());
        assertEquals("complete", Requests.isComplete("s = \"(\"  # ( in a string and a comment").get("status").getAsString());
    }

    @Test
    void drawHeatmapAndSpectrumShowInlineWithoutAFile() throws Exception {
        Session s = session(true);
        String cell = "leg i = 3, j = 4\nA = random(i, j, seed=1)\nB = random(j, seed=2)\ndraw(A B)\nheatmap(A, title=\"A\")\n"
                + "plot_spectrum(svdvals(A, left=[i], bond=r))\ndraw(A, \"" + tmp.resolve("a.svg") + "\")";
        assertTrue(s.run(cell, "<cell 1>"), errors.toString());
        assertEquals(4, images.size());
        assertEquals("A B", images.get(0)[0]);
        assertEquals("A", images.get(1)[0]);
        for (Object[] image : images) {
            assertTrue(new String((byte[]) image[1], StandardCharsets.UTF_8).contains("<svg"), "an SVG");
            byte[] png = (byte[]) image[2];
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4), "a PNG alongside");
        }
        // With a file name in a notebook, the file is written and the same SVG shown.
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a.svg")), (byte[]) images.get(3)[1]);
    }

    @Test
    void withoutADisplayTheFileIsRequiredAndTheSessionIsUnchanged() {
        Session s = session(false);
        assertFalse(s.run("leg i = 3\nx = random(i, seed=1)\ny = x x\ndraw(x)", "<cell 2>"));
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("<cell 2>:4:1: draw() needs a file to write, e.g. draw(x, \"out.svg\")"), errors.get(0));
        assertTrue(s.module().globals().containsKey("y"), "statements before the failing one are kept, as in the REPL");
    }
}
