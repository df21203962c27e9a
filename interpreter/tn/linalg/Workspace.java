package tn.linalg;

/**
 * The working memory of each factorisation, in bytes, estimated from the sizes alone (so that
 * checking a script refuses what running it could not afford): the float64 copies made on the way
 * (the matrix read out of its tensor, the copy LAPACK overwrites), the factors LAPACK writes and
 * their copies back into tensors, and LAPACK's workspace. The workspace terms are bounds on what
 * OpenBLAS 0.3.19's LAPACK asks for (its workspace queries, measured: dgesdd with vectors
 * 3.0-4.1 k^2 + O(k) doubles, without 0.03-1.3 k^2; dsyevd 2 n^2 + 6 n; dgeev 130 n; dgeqrf and
 * dorgqr 32 n), where k = min(m, n) and blocks of 64 columns are allowed for.
 *
 * <p>Measured (resident memory of `tn run` above the same script without the factorisation, on a
 * 2500 x 2000 float32 matrix; the machine shared, so +-10 MB): svdvals 51-74 MB against 42 MB
 * estimated here (the other 10-30 MB are not accounted for: a baseline with a GEMM did not
 * remove them), svd
 * 239 MB against 252 MB, qr 255 MB against 372 MB, polar 239 MB against 252 MB. Before, through
 * ND4J's gesvd with the full 2500 x 2500 U, svdvals took 360 MB (issue #16).
 */
public final class Workspace {
    private Workspace() {}

    private static final double D = Double.BYTES;
    /** Columns per block LAPACK may use for its blocked workspaces. */
    private static final double NB = 64;

    /**
     * The singular values of an m x n matrix whose tensor holds {@code bytes} per entry ({@code
     * permuted}: its legs must be reordered first, a copy in the tensor's dtype).
     */
    public static double svdvals(long m, long n, int bytes, boolean permuted) {
        double entries = (double) m * n, k = Math.min(m, n);
        return (permuted ? entries * bytes : 0) + entries * D + (7 * k + NB * (m + n)) * D + k * D;
    }

    /** U, S and V of an m x n matrix (see {@link #svdvals}). */
    public static double svd(long m, long n, int bytes, boolean permuted) {
        double entries = (double) m * n, k = Math.min(m, n), factors = (m + n) * k;
        // While LAPACK runs: its copy of the matrix, U and V^T, its workspace (and integer workspace).
        double lapack = (permuted ? entries * bytes : 0) + entries * D + factors * D + (4 * k * k + 7 * k + NB * (m + n)) * D + 8 * k * 4;
        // Afterwards: U and V in native memory, read back to Java (a copy each way), and the results.
        double results = 3 * factors * D + factors * bytes;
        return Math.max(lapack, results);
    }

    /**
     * Q and R of an m x n matrix: the matrix read into Java and handed to the backend (two float64
     * copies), LAPACK's copy, its workspace, and Q and R there, in Java and as results.
     */
    public static double qr(long m, long n, int bytes) {
        double entries = (double) m * n, k = Math.min(m, n), factors = (m + n) * k;
        return 3 * entries * D + 2 * NB * n * D + 3 * factors * D + factors * bytes;
    }

    /**
     * The polar decomposition: the SVD, then (once LAPACK is done) U and V in Java, U V^T [m, n]
     * and V S V^T [n, n] formed there and copied into the results.
     */
    public static double polar(long m, long n, int bytes, boolean permuted) {
        double k = Math.min(m, n), products = (double) m * n + (double) n * n;
        return Math.max(svd(m, n, bytes, permuted), (m + n) * k * D + products * (2 * D + bytes));
    }

    /**
     * Eigenvalues and vectors of a symmetric n x n matrix: the matrix in Java (read, symmetrised,
     * handed over), LAPACK's copy, its workspace (2 n^2 + 6 n), the vectors transposed, read back
     * and as results.
     */
    public static double eigh(long n, int bytes) {
        double nn = (double) n * n;
        return 4 * nn * D + (2 * nn + 6 * n + 1) * D + 3 * nn * D + nn * bytes;
    }

    /**
     * Eigenvalues and vectors of a general n x n matrix: the matrix in Java and handed over,
     * LAPACK's copy, its workspace (130 n), the right eigenvectors, their real and imaginary parts
     * (native, read back, reordered) and as results.
     */
    public static double eig(long n, int bytes) {
        double nn = (double) n * n;
        return 3 * nn * D + (2 + 2 * NB + 4) * n * D + nn * D + 6 * nn * D + 2 * nn * bytes;
    }

    /**
     * CP, Tucker and tensor trains on a tensor of {@code entries}: its float64 copy, the copy read
     * into Java (for the scan for inf and nan, the unfoldings, the train's first matrix), the
     * unfolding's SVD (LAPACK's copy and V, each as large as the tensor) and a reconstruction
     * compared with it (two more copies in Java). The contractions inside are checked on their own.
     */
    public static double lowRank(double entries) {
        return 6 * entries * D;
    }

    /**
     * CP by ALS of a tensor of {@code entries} entries whose legs add up to {@code legSizes}, at
     * rank r: what {@link #lowRank} counts for the tensor, the factors [size, r] (the current ones,
     * the start, each update and the result: 4 copies), and the r x r Gram matrices with the
     * pseudo-inverse's SVD (6 of them).
     */
    public static double cp(double entries, double legSizes, double rank) {
        return lowRank(entries) + D * (4 * rank * legSizes + 6 * rank * rank);
    }
}
