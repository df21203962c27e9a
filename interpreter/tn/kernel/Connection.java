package tn.kernel;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Jupyter connection file: where the kernel's five sockets listen and the key that signs
 * messages. Only HMAC-SHA256 signing (or none, with an empty key) is supported.
 */
record Connection(String transport, String ip, int shell, int iopub, int stdin, int control, int hb, String key) {

    /** Reads {@code file}; a missing field or another signature scheme is an error that says which. */
    static Connection read(Path file) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        String scheme = o.has("signature_scheme") ? o.get("signature_scheme").getAsString() : "hmac-sha256";
        String key = o.has("key") ? o.get("key").getAsString() : "";
        if (!key.isEmpty() && !scheme.equals("hmac-sha256")) {
            throw new IllegalArgumentException(file + ": signature_scheme " + scheme + " is not supported (only hmac-sha256)");
        }
        return new Connection(o.has("transport") ? o.get("transport").getAsString() : "tcp",
                o.has("ip") ? o.get("ip").getAsString() : "127.0.0.1",
                port(o, file, "shell_port"), port(o, file, "iopub_port"), port(o, file, "stdin_port"),
                port(o, file, "control_port"), port(o, file, "hb_port"), key);
    }

    /** The address a socket binds, e.g. tcp://127.0.0.1:5555 (ipc: a path with a suffix). */
    String address(int port) {
        return transport.equals("ipc") ? "ipc://" + ip + "-" + port : transport + "://" + ip + ":" + port;
    }

    private static int port(JsonObject o, Path file, String name) {
        if (!o.has(name)) throw new IllegalArgumentException(file + " has no " + name + " (is it a Jupyter connection file?)");
        return o.get(name).getAsInt();
    }
}
