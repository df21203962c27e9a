package tn.net;

import java.util.Locale;

/** Formats element counts, byte sizes and durations for messages (`1.2e+10`, `48.0 GB`, `2.8 hours`). */
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

    /**
     * A duration in its unit: three significant digits in us, ms or s below an hour (`250 us`,
     * `2.00 ms`, `1.50 s`), then `90 minutes`, `2.8 hours`, `12 days`, `1.65e+9 years`.
     */
    public static String duration(double seconds) {
        if (seconds < 1e-3) return String.format(Locale.ROOT, "%.3g us", seconds * 1e6);
        if (seconds < 1) return String.format(Locale.ROOT, "%.3g ms", seconds * 1e3);
        if (seconds < 3600) return String.format(Locale.ROOT, "%.3g s", seconds);
        if (seconds < 2 * 3600) return String.format(Locale.ROOT, "%.0f minutes", seconds / 60);
        if (seconds < 2 * 86400) return String.format(Locale.ROOT, "%.1f hours", seconds / 3600);
        if (seconds < 2 * 365.25 * 86400) return String.format(Locale.ROOT, "%.0f days", seconds / 86400);
        return count(Math.rint(seconds / (365.25 * 86400))) + " years";
    }
}
