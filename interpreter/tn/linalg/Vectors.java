package tn.linalg;

/** Small helpers on arrays of doubles: norms and sums of squares without overflow surprises. */
public final class Vectors {
    private Vectors() {}

    /** The 2-norm, scaled so that huge or tiny entries do not overflow or underflow. */
    public static double norm(double[] x) {
        double scale = 0;
        for (double v : x) scale = Math.max(scale, Math.abs(v));
        if (scale == 0 || Double.isInfinite(scale) || Double.isNaN(scale)) return scale;
        double s = 0;
        for (double v : x) {
            double r = v / scale;
            s += r * r;
        }
        return scale * Math.sqrt(s);
    }

    /** sqrt(sum of squares of x[from..]), the weight of a discarded tail. */
    public static double tailNorm(double[] x, int from) {
        double[] tail = new double[Math.max(0, x.length - from)];
        System.arraycopy(x, from, tail, 0, tail.length);
        return norm(tail);
    }
}
