package tn.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import tn.repl.Commands;
import tn.repl.Session;

/**
 * `tn kernel -f CONNECTION_FILE`: a Jupyter kernel (messaging protocol 5.3) running one REPL
 * {@link Session}, so a cell behaves as a REPL input (a failing statement leaves the session as
 * it was before it). Threads, each owning its sockets: the shell loop (requests, one at a time),
 * control (interrupt, shutdown), heartbeat (echo), iopub (publishes what the others queue), and
 * one worker that runs cells. Cells run on the worker, never on a thread that touches a socket,
 * because an interrupt (Session.cancel interrupts the running thread) would break a socket the
 * thread was using.
 */
public final class Kernel {
    /** Makes the kernel's session, printing to the given streams. */
    public interface Sessions {
        Session create(PrintStream out, PrintStream err);
    }

    private static final int POLL_MS = 200;

    private final Connection connection;
    private final Wire wire;
    private final ZContext context = new ZContext();
    private final LinkedBlockingQueue<Wire.Message> iopubQueue = new LinkedBlockingQueue<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tn-kernel-cell");
        t.setDaemon(true);
        return t;
    });
    private final Outputs outputs = new Outputs();
    private volatile boolean stopping;
    private volatile Session session;
    private int executionCount;
    /**
     * The requests that were waiting when a cell failed (with stop_on_error, the default): taken
     * before the failure is answered, so none was sent in reply to it. Their cells are not run
     * but answered "aborted", as "Run all" expects; other requests are served as usual.
     */
    private final java.util.ArrayDeque<Wire.Message> behindFailure = new java.util.ArrayDeque<>();

    private Kernel(Connection connection) {
        this.connection = connection;
        this.wire = new Wire(connection.key());
    }

    /** Serves the connection until a shutdown request; returns the exit code. */
    public static int serve(java.nio.file.Path connectionFile, Sessions sessions) throws java.io.IOException {
        Kernel k = new Kernel(Connection.read(connectionFile));
        return k.run(sessions);
    }

    private int run(Sessions sessions) {
        ZMQ.Socket shell = bind(SocketType.ROUTER, connection.shell());
        ZMQ.Socket control = bind(SocketType.ROUTER, connection.control());
        ZMQ.Socket stdin = bind(SocketType.ROUTER, connection.stdin()); // input() is not offered: allow_stdin is ignored
        ZMQ.Socket iopub = bind(SocketType.PUB, connection.iopub());
        ZMQ.Socket hb = bind(SocketType.REP, connection.hb());
        Thread[] threads = {
            daemon("tn-kernel-heartbeat", () -> heartbeat(hb)),
            daemon("tn-kernel-iopub", () -> iopub(iopub)),
            daemon("tn-kernel-control", () -> control(control)),
        };
        for (Thread t : threads) t.start();
        // The session (ND4J loads here) is made after the sockets listen: requests wait in them.
        session = sessions.create(outputs.out(), outputs.err());
        session.setOutput(outputs);
        session.setDisplay(outputs);
        outputs.attach(session);
        publishStatus("starting", null);
        shell(shell);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        worker.shutdownNow();
        stdin.close();
        context.close();
        return 0;
    }

    private ZMQ.Socket bind(SocketType type, int port) {
        ZMQ.Socket s = context.createSocket(type);
        s.setLinger(1000);
        s.setReceiveTimeOut(POLL_MS);
        if (!s.bind(connection.address(port))) throw new IllegalStateException("cannot listen on " + connection.address(port));
        return s;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    // ---- the threads ---------------------------------------------------------------------------

    private void heartbeat(ZMQ.Socket hb) {
        while (!stopping) {
            byte[] ping = hb.recv(0);
            if (ping != null) hb.send(ping, 0);
        }
        hb.close();
    }

    private void iopub(ZMQ.Socket iopub) {
        while (true) {
            Wire.Message m;
            try {
                m = iopubQueue.poll(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (m != null) wire.send(iopub, m, m.type().getBytes(StandardCharsets.UTF_8));
            else if (stopping) break;
        }
        iopub.close();
    }

    private void control(ZMQ.Socket control) {
        while (!stopping) {
            Wire.Message m = wire.receive(control, 0);
            if (m == null) continue;
            publishStatus("busy", m);
            switch (m.type()) {
                case "interrupt_request" -> {
                    Session s = session;
                    if (s != null) s.cancel();
                    wire.send(control, wire.reply(m, "interrupt_reply", ok()), null);
                }
                case "shutdown_request" -> shutdown(control, m);
                case "kernel_info_request" -> wire.send(control, wire.reply(m, "kernel_info_reply", kernelInfo()), null);
                default -> System.err.println("tn kernel: control message " + m.type() + " is not handled");
            }
            publishStatus("idle", m);
        }
        control.close();
    }

    private void shell(ZMQ.Socket shell) {
        while (!stopping) {
            boolean behind = !behindFailure.isEmpty();
            Wire.Message m = behind ? behindFailure.poll() : wire.receive(shell, 0);
            if (m == null) continue;
            publishStatus("busy", m);
            JsonObject c = m.content();
            switch (behind && m.type().equals("execute_request") ? "aborted" : m.type()) {
                case "aborted" -> {
                    JsonObject r = new JsonObject();
                    r.addProperty("status", "aborted");
                    reply(shell, m, "execute_reply", r);
                }
                case "kernel_info_request" -> reply(shell, m, "kernel_info_reply", kernelInfo());
                case "execute_request" -> execute(shell, m);
                case "complete_request" -> reply(shell, m, "complete_reply",
                        Requests.complete(session, c.get("code").getAsString(), c.get("cursor_pos").getAsInt()));
                case "inspect_request" -> reply(shell, m, "inspect_reply",
                        Requests.inspect(session, c.get("code").getAsString(), c.get("cursor_pos").getAsInt()));
                case "is_complete_request" -> reply(shell, m, "is_complete_reply", Requests.isComplete(c.get("code").getAsString()));
                case "history_request" -> {
                    JsonObject r = ok();
                    r.add("history", new JsonArray());
                    reply(shell, m, "history_reply", r);
                }
                case "comm_info_request" -> {
                    JsonObject r = ok();
                    r.add("comms", new JsonObject());
                    reply(shell, m, "comm_info_reply", r);
                }
                case "shutdown_request" -> shutdown(shell, m);
                default -> System.err.println("tn kernel: shell message " + m.type() + " is not handled");
            }
            publishStatus("idle", m);
        }
        shell.close();
    }

    // ---- requests ------------------------------------------------------------------------------

    private void execute(ZMQ.Socket shell, Wire.Message m) {
        JsonObject c = m.content();
        String code = c.get("code").getAsString();
        boolean silent = c.has("silent") && c.get("silent").getAsBoolean();
        if (!silent) executionCount++;
        int count = executionCount;
        if (!silent) {
            JsonObject input = new JsonObject();
            input.addProperty("code", code);
            input.addProperty("execution_count", count);
            publish(m, "execute_input", input);
        }
        outputs.begin(silent ? (type, content) -> { } : (type, content) -> publish(m, type, content), count);
        Future<?> cell = worker.submit(() -> runCell(code, count));
        while (true) {
            try {
                cell.get();
                break;
            } catch (InterruptedException e) {
                // the shell thread is never interrupted on purpose; keep waiting for the cell
            } catch (ExecutionException e) {
                outputs.error("internal error in tn (a bug, not a mistake in your input): " + e.getCause());
                break;
            }
        }
        String errors = outputs.end();
        JsonObject reply;
        if (errors.isEmpty()) {
            reply = ok();
            reply.add("payload", new JsonArray());
            reply.add("user_expressions", new JsonObject());
        } else {
            JsonObject error = Outputs.errorContent(errors);
            if (!silent) publish(m, "error", error);
            if (!c.has("stop_on_error") || c.get("stop_on_error").getAsBoolean()) {
                for (Wire.Message q; (q = wire.receive(shell, ZMQ.DONTWAIT)) != null; ) behindFailure.add(q);
            }
            reply = error.deepCopy();
            reply.addProperty("status", "error");
        }
        reply.addProperty("execution_count", count);
        reply(shell, m, "execute_reply", reply);
    }

    /**
     * Runs a cell in the session: tn statements, or, when it starts with `:`, REPL commands one a
     * line (`:plan x`, `:legs`), or `svd?` for help. Errors arrive through {@link Outputs#error}.
     */
    private void runCell(String code, int count) {
        if (code.isBlank()) return;
        if (Commands.helpQuery(code) != null) {
            Commands.execute(session, Commands.helpQuery(code));
            return;
        }
        if (code.strip().startsWith(":")) {
            for (String line : code.split("\n")) {
                if (line.isBlank()) continue;
                if (!line.strip().startsWith(":")) {
                    outputs.error("<cell " + count + ">: a cell of :commands has one command a line, not '" + line.strip() + "'");
                    return;
                }
                Commands.execute(session, line);
            }
            return;
        }
        session.run(code, "<cell " + count + ">");
    }

    private void shutdown(ZMQ.Socket socket, Wire.Message m) {
        JsonObject r = ok();
        r.addProperty("restart", m.content().has("restart") && m.content().get("restart").getAsBoolean());
        wire.send(socket, wire.reply(m, "shutdown_reply", r), null);
        Session s = session;
        if (s != null) s.cancel();
        stopping = true;
    }

    private JsonObject kernelInfo() {
        JsonObject r = ok();
        r.addProperty("protocol_version", Wire.PROTOCOL_VERSION);
        r.addProperty("implementation", "tn");
        r.addProperty("implementation_version", version());
        r.add("language_info", languageInfo());
        r.addProperty("banner", "tn " + version() + ": tensor network diagrams as programs");
        r.add("help_links", new JsonArray());
        return r;
    }

    /**
     * kernel_info's language_info. The CodeMirror mode is "tn", defined by the kernel.js that
     * `tn kernel install` writes (the classic Notebook loads it); JupyterLab and Notebook 7 never
     * load kernel.js, find no mode of that name and take the "mime" instead: Python's mode, which
     * fits tn's comments, strings, numbers and most keywords. Pygments has no "tn" unless
     * editors/pygments is installed, and nbconvert then shows code as plain text with a warning
     * (Sphinx warns too), so the lexer named here stays Python's; README.md, "Jupyter", says how
     * to use the tn lexer.
     */
    static JsonObject languageInfo() {
        JsonObject language = new JsonObject();
        language.addProperty("name", "tn");
        language.addProperty("version", version());
        language.addProperty("mimetype", "text/x-tn");
        language.addProperty("file_extension", ".tn");
        language.addProperty("pygments_lexer", "python");
        JsonObject codemirror = new JsonObject();
        codemirror.addProperty("name", "tn");
        codemirror.addProperty("mime", "text/x-python");
        language.add("codemirror_mode", codemirror);
        return language;
    }

    private static String version() {
        String v = Kernel.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }

    // ---- sending -------------------------------------------------------------------------------

    private void reply(ZMQ.Socket socket, Wire.Message request, String type, JsonObject content) {
        wire.send(socket, wire.reply(request, type, content), null);
    }

    private void publish(Wire.Message parent, String type, JsonObject content) {
        Wire.Message m = wire.reply(parent, type, content);
        iopubQueue.offer(new Wire.Message(java.util.List.of(), m.header(), m.parent(), m.metadata(), m.content()));
    }

    private void publishStatus(String state, Wire.Message parent) {
        JsonObject c = new JsonObject();
        c.addProperty("execution_state", state);
        publish(parent, "status", c);
    }

    private static JsonObject ok() {
        JsonObject r = new JsonObject();
        r.addProperty("status", "ok");
        return r;
    }
}
