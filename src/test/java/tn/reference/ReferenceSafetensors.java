package tn.reference;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the float32 tensors of a .safetensors file for reference computations in tests, written
 * from the format's definition (an 8-byte little-endian header length, a JSON header of dtype,
 * shape and data offsets, then the data) and sharing nothing with tn's reader.
 */
public final class ReferenceSafetensors {
    private ReferenceSafetensors() {}

    /** Every tensor, flattened row-major, by name. */
    public static Map<String, double[]> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) b.getLong(0);
        JsonObject header = JsonParser.parseString(new String(b.array(), 8, headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            JsonObject t = e.getValue().getAsJsonObject();
            if (!t.get("dtype").getAsString().equals("F32")) throw new IOException(e.getKey() + " is not F32");
            long start = t.getAsJsonArray("data_offsets").get(0).getAsLong(), end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
            double[] d = new double[(int) ((end - start) / 4)];
            for (int i = 0; i < d.length; i++) d[i] = b.getFloat((int) (8 + headerLength + start + 4L * i));
            out.put(e.getKey(), d);
        }
        return out;
    }
}
