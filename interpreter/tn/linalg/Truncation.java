package tn.linalg;

/**
 * How many singular values to keep: at most {@code maxRank} (0 or less: no limit), only those
 * above {@code cutoff} times the largest, and never fewer than one. The discarded weight is the
 * 2-norm of the values dropped, which by Eckart-Young is the Frobenius error of the truncation.
 */
public record Truncation(int maxRank, double cutoff) {
    public static final Truncation NONE = new Truncation(0, 0);

    /** The number of leading values of the descending {@code s} to keep. */
    public int keep(double[] s) {
        int kept = maxRank > 0 ? Math.min(maxRank, s.length) : s.length;
        if (cutoff > 0 && s.length > 0) {
            int above = 0;
            while (above < kept && s[above] > cutoff * s[0]) above++;
            kept = above;
        }
        return Math.max(1, Math.min(kept, s.length));
    }
}
