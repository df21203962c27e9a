package tn.net;

import java.util.Locale;

/** Formats element counts and byte sizes for messages (`1.2e+10`, `48.0 GB`). */
public final class Units {
    private Units() {}

    public static String count(double n) {
        if (n < 1e6 && n == Math.rint(n)) return String.valueOf((long) n);
        return String.format(Locale.ROOT, "%.3g", n).replace("e+0", "e+");
    }

    public static String bytes(double b) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        int u = 0;
        while (b >= 1000 && u < units.length - 1) {
            b /= 1000;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
    }
}
