package tn.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;
import tn.interp.Interpreter;
import tn.interp.Value;
import tn.interp.builtins.Inspect;
import tn.net.Tensor;
import tn.repl.Session;

/**
 * What a cell produces, as iopub messages, in the order it happens: `print` and warnings as
 * stdout/stderr streams, diagrams and charts as `display_data` (SVG with a PNG alongside), the
 * values of expression statements (the last as `execute_result`, earlier ones as `display_data`;
 * tensors as an HTML table and the REPL's text), and the located error message of a failing
 * statement, kept for the execute reply. One instance serves the kernel's one session; {@link
 * #begin} points it at the cell being run.
 */
final class Outputs implements Session.Output, Interpreter.Display {
    /** Sends an iopub message of a type with its content (the parent is the current request). */
    interface Publisher {
        void publish(String type, JsonObject content);
    }

    private final Stream stdout = new Stream("stdout"), stderr = new Stream("stderr");
    private final PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
    private Session session;
    private Publisher publisher;
    private int count;
    /** The latest value shown, held back: it becomes the cell's execute_result if nothing follows it. */
    private JsonObject pending;
    private final StringBuilder errors = new StringBuilder();

    PrintStream out() { return out; }

    PrintStream err() { return err; }

    void attach(Session session) { this.session = session; }

    /** Starts collecting the outputs of execution {@code count}. */
    synchronized void begin(Publisher publisher, int count) {
        this.publisher = publisher;
        this.count = count;
        pending = null;
        errors.setLength(0);
    }

    /** Sends what is still held back; returns the error messages of the cell ("" if none). */
    synchronized String end() {
        flushStreams();
        if (pending != null) {
            JsonObject result = new JsonObject();
            result.addProperty("execution_count", count);
            result.add("data", pending);
            result.add("metadata", new JsonObject());
            publisher.publish("execute_result", result);
            pending = null;
        }
        publisher = null;
        return errors.toString();
    }

    @Override
    public synchronized void value(String text, String plain, Value v, Tensor x) {
        before();
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", plain);
        if (x != null) {
            String preview = plain.contains("\n") ? plain.substring(plain.indexOf('\n') + 1) : plain;
            data.addProperty("text/html", Html.tensor(text, x, Inspect.data(session.interpreter(), x), preview));
        }
        pending = data;
    }

    @Override
    public synchronized void error(String message) {
        flushStreams();
        errors.append(message.endsWith("\n") ? message : message + "\n");
    }

    @Override
    public synchronized void image(String title, byte[] svg, Supplier<byte[]> png) {
        before();
        if (publisher == null) return;
        JsonObject data = new JsonObject();
        if (svg != null) data.addProperty("image/svg+xml", new String(svg, StandardCharsets.UTF_8));
        data.addProperty("image/png", Base64.getEncoder().encodeToString(png.get()));
        data.addProperty("text/plain", "<" + title + ">");
        display(data);
    }

    /** Output other than a value: the held-back value goes first, as display_data. */
    private void before() {
        flushStreams();
        if (pending != null) {
            display(pending);
            pending = null;
        }
    }

    private void display(JsonObject data) {
        JsonObject content = new JsonObject();
        content.add("data", data);
        content.add("metadata", new JsonObject());
        content.add("transient", new JsonObject());
        publisher.publish("display_data", content);
    }

    private void flushStreams() {
        out.flush();
        err.flush();
    }

    private synchronized void stream(String name, String text) {
        if (text.isEmpty()) return;
        if (pending != null && publisher != null) {
            display(pending);
            pending = null;
        }
        JsonObject content = new JsonObject();
        content.addProperty("name", name);
        content.addProperty("text", text);
        if (publisher != null) publisher.publish("stream", content);
        else System.err.print(text); // between cells (start-up warnings): the kernel's own log
    }

    /** Bytes printed to stdout or stderr, sent as one stream message per flush. */
    private final class Stream extends OutputStream {
        private final String name;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Stream(String name) { this.name = name; }

        @Override
        public void write(int b) { buffer.write(b); }

        @Override
        public void write(byte[] b, int off, int len) { buffer.write(b, off, len); }

        @Override
        public void flush() {
            String text;
            synchronized (this) {
                text = buffer.toString(StandardCharsets.UTF_8);
                buffer.reset();
            }
            stream(name, text);
        }
    }

    /** The `error` content (and the error reply's fields) for a cell's messages. */
    static JsonObject errorContent(String messages) {
        JsonObject content = new JsonObject();
        String text = messages.stripTrailing();
        content.addProperty("ename", text.contains(": interrupted: ") ? "Interrupted" : "TnError");
        content.addProperty("evalue", text);
        JsonArray traceback = new JsonArray();
        for (String line : text.split("\n", -1)) traceback.add(line);
        content.add("traceback", traceback);
        return content;
    }
}
