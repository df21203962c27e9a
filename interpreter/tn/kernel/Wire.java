package tn.kernel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.zeromq.ZMQ;

/**
 * The Jupyter wire format (messaging protocol 5.3): a message is the routing identities, the
 * delimiter {@code <IDS|MSG>}, an HMAC-SHA256 signature (hex) of the four JSON frames that
 * follow (header, parent header, metadata, content), then those frames. Messages whose signature
 * does not match the connection's key are refused.
 */
final class Wire {
    static final String PROTOCOL_VERSION = "5.3";
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.UTF_8);
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    /** A received or outgoing message. */
    record Message(List<byte[]> identities, JsonObject header, JsonObject parent, JsonObject metadata, JsonObject content) {
        String type() {
            return header.has("msg_type") ? header.get("msg_type").getAsString() : "";
        }
    }

    private final byte[] key;
    /** This kernel's session id (in the header of every message it sends). */
    private final String session = UUID.randomUUID().toString();

    Wire(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads one message from {@code socket}; null on a receive timeout (at once with {@code
     * ZMQ.DONTWAIT} in {@code flags}), or when the message is malformed or its signature is wrong
     * (then a line on standard error says why).
     */
    Message receive(ZMQ.Socket socket, int flags) {
        byte[] first = socket.recv(flags);
        if (first == null) return null;
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) frames.add(socket.recv(0));
        int d = 0;
        while (d < frames.size() && !MessageDigest.isEqual(frames.get(d), DELIMITER)) d++;
        if (frames.size() < d + 6) { // no delimiter, or fewer than its five frames after it
            System.err.println("tn kernel: a message without its frames was ignored");
            return null;
        }
        byte[] signature = frames.get(d + 1);
        List<byte[]> parts = frames.subList(d + 2, d + 6);
        if (key.length > 0 && !MessageDigest.isEqual(sign(parts), signature)) {
            System.err.println("tn kernel: a message with a wrong signature was ignored");
            return null;
        }
        try {
            return new Message(new ArrayList<>(frames.subList(0, d)), object(parts.get(0)), object(parts.get(1)),
                    object(parts.get(2)), object(parts.get(3)));
        } catch (RuntimeException e) {
            System.err.println("tn kernel: a message that is not JSON was ignored: " + e.getMessage());
            return null;
        }
    }

    /** A new message of {@code type} replying to (or caused by) {@code parent}. */
    Message reply(Message parent, String type, JsonObject content) {
        return new Message(parent == null ? List.of() : parent.identities(), header(type),
                parent == null ? new JsonObject() : parent.header(), new JsonObject(), content);
    }

    /** Sends {@code m} on {@code socket}, signed (the caller owns the socket). */
    void send(ZMQ.Socket socket, Message m, byte[] topic) {
        List<byte[]> parts = List.of(bytes(m.header()), bytes(m.parent()), bytes(m.metadata()), bytes(m.content()));
        if (topic != null) socket.sendMore(topic);
        else for (byte[] id : m.identities()) socket.sendMore(id);
        socket.sendMore(DELIMITER);
        socket.sendMore(sign(parts));
        for (int i = 0; i < 3; i++) socket.sendMore(parts.get(i));
        socket.send(parts.get(3), 0);
    }

    /** The hex HMAC-SHA256 of the frames under the connection key (empty when there is no key). */
    byte[] sign(List<byte[]> parts) {
        if (key.length == 0) return new byte[0];
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) mac.update(p);
            return HexFormat.of().formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }

    private JsonObject header(String type) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", UUID.randomUUID().toString());
        h.addProperty("session", session);
        h.addProperty("username", "tn");
        h.addProperty("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        h.addProperty("msg_type", type);
        h.addProperty("version", PROTOCOL_VERSION);
        return h;
    }

    static byte[] bytes(JsonObject o) {
        return GSON.toJson(o).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject object(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        return text.isBlank() ? new JsonObject() : JsonParser.parseString(text).getAsJsonObject();
    }
}
