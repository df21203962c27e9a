package tn.draw;

import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Unique SVG ids derived from the script's names: {@code tensor-A}, {@code leg-j}, {@code
 * bubble-relu-1}. A name's characters outside letters, digits, '_' and '-' are written as '_'
 * plus their hex code ({@code i'} becomes {@code i_27}); a repeated id gets {@code -2},
 * {@code -3}, ... appended.
 */
final class Ids {
    private final Set<String> taken = new HashSet<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();

    /** {@code prefix-name}, made unique. */
    String of(String prefix, String name) {
        return unique(prefix + "-" + sanitize(name));
    }

    /** {@code prefix-N} with N counting from 1 per prefix. */
    String numbered(String prefix) {
        int n = counters.merge(prefix, 1, Integer::sum);
        String id = prefix + "-" + n;
        while (taken.contains(id)) id = prefix + "-" + counters.merge(prefix, 1, Integer::sum);
        taken.add(id);
        return id;
    }

    String unique(String id) {
        if (taken.add(id)) return id;
        for (int k = 2; ; k++) {
            String candidate = id + "-" + k;
            if (taken.add(candidate)) return candidate;
        }
    }

    static String sanitize(String name) {
        if (name == null || name.isEmpty()) return "_";
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < name.length(); ) {
            int c = name.codePointAt(k);
            k += Character.charCount(c);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                sb.appendCodePoint(c);
            } else {
                sb.append('_').append(Integer.toHexString(c));
            }
        }
        return sb.toString();
    }
}
