package tn.exec;

/**
 * The two memory-bound kernels of {@link ArrayContractor}, on {@code float[]} or {@code double[]}:
 * a strided gather (permutations and diagonals) and sums of contiguous runs. Axes that lie
 * contiguously in the source are merged first, so a gather is an odometer over the outer axes
 * around one tight loop (a block copy when the innermost axis is contiguous).
 */
final class Strided {
    private Strided() {}

    static int length(Object data) {
        return data instanceof double[] d ? d.length : ((float[]) data).length;
    }

    /**
     * A new row-major array of {@code shape}: entry (i0, .., ik) is
     * {@code src[offset + i0 * step[0] + .. + ik * step[k]]}.
     */
    static Object gather(Object src, long offset, long[] shape, long[] step) {
        long total = 1;
        for (long d : shape) total *= d;
        // Drop size-1 axes, then merge axis k into k+1 when k steps over all of k+1.
        long[] sh = new long[shape.length], st = new long[shape.length];
        int r = 0;
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == 1) continue;
            if (r > 0 && st[r - 1] == step[k] * shape[k]) {
                sh[r - 1] *= shape[k];
                st[r - 1] = step[k];
            } else {
                sh[r] = shape[k];
                st[r] = step[k];
                r++;
            }
        }
        int n = Math.toIntExact(total);
        int inner = r == 0 ? 1 : (int) sh[r - 1];
        int innerStep = r == 0 ? 1 : (int) st[r - 1];
        int outer = r <= 1 ? 0 : r - 1;
        long[] idx = new long[outer];
        if (src instanceof double[] s) {
            double[] out = new double[n];
            long base = offset;
            for (int o = 0; o < n; o += inner) {
                int b = (int) base;
                if (innerStep == 1) System.arraycopy(s, b, out, o, inner);
                else for (int j = 0; j < inner; j++) out[o + j] = s[b + j * innerStep];
                base = advance(idx, sh, st, base);
            }
            return out;
        }
        float[] s = (float[]) src;
        float[] out = new float[n];
        long base = offset;
        for (int o = 0; o < n; o += inner) {
            int b = (int) base;
            if (innerStep == 1) System.arraycopy(s, b, out, o, inner);
            else for (int j = 0; j < inner; j++) out[o + j] = s[b + j * innerStep];
            base = advance(idx, sh, st, base);
        }
        return out;
    }

    /** Moves the odometer over the outer axes one place on; returns the new base offset. */
    private static long advance(long[] idx, long[] shape, long[] step, long base) {
        for (int k = idx.length - 1; k >= 0; k--) {
            base += step[k];
            if (++idx[k] < shape[k]) return base;
            base -= step[k] * shape[k];
            idx[k] = 0;
        }
        return base;
    }

    /** Sums of consecutive runs of {@code run} entries: result[i] = sum of src[i*run .. (i+1)*run). */
    static Object sumRuns(Object src, int run) {
        if (src instanceof double[] s) {
            double[] out = new double[run == 0 ? 0 : s.length / run];
            for (int i = 0; i < out.length; i++) {
                double t = 0;
                for (int j = i * run, end = j + run; j < end; j++) t += s[j];
                out[i] = t;
            }
            return out;
        }
        float[] s = (float[]) src;
        float[] out = new float[run == 0 ? 0 : s.length / run];
        for (int i = 0; i < out.length; i++) {
            float t = 0;
            for (int j = i * run, end = j + run; j < end; j++) t += s[j];
            out[i] = t;
        }
        return out;
    }
}
