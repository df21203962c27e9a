package tn.plan;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a network in the JSON format of opt_einsum/cotengra benchmark files:
 * {@code {"inputs": [[legs...], ...], "output": [legs...], "size_dict": {leg: size}}}, legs any
 * strings. Leg ids are given in order of first appearance.
 */
public final class NetworkFile {
    private NetworkFile() {}

    /** Parses the JSON text; the message of the exception says what is wrong, for users. */
    public static Network parse(String json) {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) throw new IllegalArgumentException("a network file holds one JSON object with inputs, output and size_dict");
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
        for (String key : List.of("inputs", "output", "size_dict")) {
            if (!root.has(key)) throw new IllegalArgumentException("missing \"" + key + "\" (a network file has inputs, output and size_dict)");
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        JsonObject sizes = object(root.get("size_dict"), "size_dict");
        List<int[]> inputs = new ArrayList<>();
        JsonArray in = array(root.get("inputs"), "inputs");
        if (in.isEmpty()) throw new IllegalArgumentException("\"inputs\" is empty");
        for (int k = 0; k < in.size(); k++) inputs.add(legs(in.get(k), "inputs[" + k + "]", ids, sizes));
        int[] output = legs(root.get("output"), "output", ids, sizes);
        long[] sizeArray = new long[ids.size()];
        String[] names = new String[ids.size()];
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            names[e.getValue()] = e.getKey();
            JsonElement s = sizes.get(e.getKey());
            try {
                sizeArray[e.getValue()] = s.getAsLong();
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("size_dict[\"" + e.getKey() + "\"] is not a whole number");
            }
            if (sizeArray[e.getValue()] < 1) throw new IllegalArgumentException("size_dict[\"" + e.getKey() + "\"] must be at least 1");
        }
        return new Network(inputs, output, sizeArray, names);
    }

    private static int[] legs(JsonElement e, String where, Map<String, Integer> ids, JsonObject sizes) {
        JsonArray a = array(e, where);
        int[] out = new int[a.size()];
        for (int k = 0; k < a.size(); k++) {
            String leg = a.get(k).isJsonPrimitive() ? a.get(k).getAsString() : null;
            if (leg == null) throw new IllegalArgumentException(where + "[" + k + "] is not a leg name");
            if (!sizes.has(leg)) throw new IllegalArgumentException("leg \"" + leg + "\" of " + where + " has no size in size_dict");
            out[k] = ids.computeIfAbsent(leg, l -> ids.size());
        }
        return out;
    }

    private static JsonArray array(JsonElement e, String where) {
        if (e == null || !e.isJsonArray()) throw new IllegalArgumentException("\"" + where + "\" must be a list");
        return e.getAsJsonArray();
    }

    private static JsonObject object(JsonElement e, String where) {
        if (e == null || !e.isJsonObject()) throw new IllegalArgumentException("\"" + where + "\" must be an object");
        return e.getAsJsonObject();
    }
}
