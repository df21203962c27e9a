package tn.io;

import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds a key given twice in one JSON object. JSON parsers keep the last value of a repeated key
 * without a word, so a file with a repeated tensor or token would be read as something other
 * than what one of its writers meant; tn refuses such files instead. Walks the text with a
 * streaming reader and an explicit stack, so deeply nested input cannot overflow the call stack.
 */
final class JsonKeys {
    private JsonKeys() {}

    /** An open object (its keys so far) or array (keys null), and the key it is the value of. */
    private record Open(Set<String> keys, String name) {}

    /**
     * The first key repeated within one object, as "key", or "outer.key" when the object is the
     * value of the key "outer"; null when no key is repeated. The text must be JSON that Gson's
     * lenient parser accepts (call this after parsing it).
     */
    static String firstRepeated(String json) throws IOException {
        JsonReader r = new JsonReader(new StringReader(json));
        r.setLenient(true); // as lenient as the parser that accepted the text
        Deque<Open> open = new ArrayDeque<>();
        String key = null; // the key whose value comes next
        while (true) {
            switch (r.peek()) {
                case BEGIN_OBJECT -> {
                    r.beginObject();
                    open.push(new Open(new HashSet<>(), key));
                    key = null;
                }
                case BEGIN_ARRAY -> {
                    r.beginArray();
                    open.push(new Open(null, key));
                    key = null;
                }
                case END_OBJECT -> {
                    r.endObject();
                    open.pop();
                }
                case END_ARRAY -> {
                    r.endArray();
                    open.pop();
                }
                case NAME -> {
                    key = r.nextName();
                    Open o = open.peek();
                    if (!o.keys().add(key)) return o.name() == null ? key : o.name() + "." + key;
                }
                case END_DOCUMENT -> {
                    return null;
                }
                default -> {
                    r.skipValue();
                    key = null;
                }
            }
        }
    }
}
