package tn.cli;

import java.util.Locale;

/** Parses sizes written by users: `2000000`, `512m`, `4g`, `1.5GB` (powers of 1000 or 1024 for ki/mi/gi). */
final class MemorySize {
    private MemorySize() {}

    static double parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        if (s.endsWith("b") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) s = s.substring(0, s.length() - 1);
        else if (s.endsWith("b")) s = s.substring(0, s.length() - 1);
        double factor = 1;
        String[][] units = {{"ki", "1024"}, {"mi", "1048576"}, {"gi", "1073741824"}, {"ti", "1099511627776"},
            {"k", "1e3"}, {"m", "1e6"}, {"g", "1e9"}, {"t", "1e12"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                factor = Double.parseDouble(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "' (write e.g. 2e9, 512m or 4g)");
        }
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException("a size must be positive: '" + text + "'");
        return v * factor;
    }
}
