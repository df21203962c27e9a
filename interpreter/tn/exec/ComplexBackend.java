package tn.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Complex arithmetic over a real {@link Backend}: arrays of a complex dtype are
 * {@link ComplexDense} pairs of real arrays, and every operation on them is made of the real
 * backend's operations on the parts; real arrays go straight through. So the real engine (BLAS
 * GEMMs, gathers, slicing, memory handling) serves complex networks unchanged:
 * <ul>
 *   <li>linear operations (take, permute, reshape, diagonals, sums with real coefficients, the
 *       SUM and MEAN reductions) act on each part;</li>
 *   <li>a contraction follows the plan's steps; a step between two complex operands is four real
 *       contractions, (a + bi)(c + di) = (ac - bd) + (ad + bc)i, which is the work of one complex
 *       GEMM (4 real multiply-adds each), a step with one real operand two;</li>
 *   <li>a real operand meeting a complex one is promoted (numpy's rule, {@link DType#promote}).</li>
 * </ul>
 * Operations with no complex meaning (softmax, layer norm, max) throw
 * IllegalArgumentException: the interpreter refuses them before anything runs, with a located
 * message (docs/complex.md lists them), so reaching one here is a bug, never a silent loss of the
 * imaginary part. Complex entries are read through {@link ComplexDense#re()} and {@link ComplexDense#im()}.
 */
public final class ComplexBackend implements Backend {
    private final Backend real;

    private ComplexBackend(Backend real) {
        this.real = real;
    }

    /** {@code backend} with complex arrays (itself when it already is a ComplexBackend; null stays null). */
    public static Backend over(Backend backend) {
        return backend == null || backend instanceof ComplexBackend ? backend : new ComplexBackend(backend);
    }

    /** The real backend underneath. */
    public Backend real() { return real; }

    // ---- complex values from parts ---------------------------------------------------------

    /** A complex array of the parts' shape; each part is cast to {@code dtype}'s real part type. */
    public Dense complex(Dense re, Dense im, DType dtype) {
        return new ComplexDense(real.cast(re, dtype.realPart()), real.cast(im, dtype.realPart()), dtype);
    }

    /** A complex array from the row-major real and imaginary parts. */
    public Dense fromParts(double[] re, double[] im, long[] shape, DType dtype) {
        return new ComplexDense(real.fromDoubles(re, shape, dtype.realPart()), real.fromDoubles(im, shape, dtype.realPart()), dtype);
    }

    /** The real part of x (x itself when real). */
    public Dense realPart(Dense x) {
        return x instanceof ComplexDense c ? c.re() : x;
    }

    /** The imaginary part of x (zeros when x is real). */
    public Dense imagPart(Dense x) {
        return x instanceof ComplexDense c ? c.im() : real.full(x.shape(), 0, x.dtype());
    }

    /** The complex conjugate (x itself when real). */
    public Dense conj(Dense x) {
        return x instanceof ComplexDense c ? new ComplexDense(c.re(), real.map(c.im(), Elementwise.NEG, 0), c.dtype()) : x;
    }

    /** The argument atan2(im, re) of each entry, in (-pi, pi]; 0 (or pi for negative numbers) when real. */
    public Dense angle(Dense x) {
        double[] re = real.toDoubles(realPart(x));
        double[] im = x instanceof ComplexDense c ? real.toDoubles(c.im()) : new double[re.length];
        double[] out = new double[re.length];
        for (int k = 0; k < out.length; k++) out[k] = Math.atan2(im[k], re[k]);
        return real.fromDoubles(out, x.shape(), x.dtype().realPart());
    }

    /** x as an array of the complex type {@code dtype} (a real x gets imaginary part 0). */
    private Dense promote(Dense x, DType dtype) {
        if (x instanceof ComplexDense c) {
            return c.dtype() == dtype ? c : new ComplexDense(real.cast(c.re(), dtype.realPart()), real.cast(c.im(), dtype.realPart()), dtype);
        }
        Dense re = real.cast(x, dtype.realPart());
        return new ComplexDense(re, real.full(x.shape(), 0, dtype.realPart()), dtype);
    }

    private static IllegalArgumentException refused(String what) {
        return new IllegalArgumentException(what + " has no complex version (the interpreter should have refused it)");
    }

    // ---- creation and transfer -------------------------------------------------------------

    /** With a complex dtype: the real entries {@code data}, imaginary parts 0. */
    @Override
    public Dense fromDoubles(double[] data, long[] shape, DType dtype) {
        if (!dtype.isComplex()) return real.fromDoubles(data, shape, dtype);
        return promote(real.fromDoubles(data, shape, dtype.realPart()), dtype);
    }

    @Override
    public double[] toDoubles(Dense x) {
        if (x instanceof ComplexDense) throw refused("reading a complex array as real numbers");
        return real.toDoubles(x);
    }

    @Override
    public void copyDoubles(Dense x, long from, double[] into, int count) {
        if (x instanceof ComplexDense) throw refused("reading a complex array as real numbers");
        real.copyDoubles(x, from, into, count);
    }

    @Override
    public Dense cast(Dense x, DType dtype) {
        if (dtype.isComplex()) return promote(x, dtype);
        if (x instanceof ComplexDense) throw refused("casting a complex array to " + dtype);
        return real.cast(x, dtype);
    }

    @Override
    public Dense full(long[] shape, double value, DType dtype) {
        if (!dtype.isComplex()) return real.full(shape, value, dtype);
        return new ComplexDense(real.full(shape, value, dtype.realPart()), real.full(shape, 0, dtype.realPart()), dtype);
    }

    @Override
    public Dense generate(long[] shape, DType dtype, Entries entries) {
        if (!dtype.isComplex()) return real.generate(shape, dtype, entries);
        return promote(real.generate(shape, dtype.realPart(), entries), dtype);
    }

    @Override
    public Dense oneHot(int[] columns, long width, DType dtype) {
        if (!dtype.isComplex()) return real.oneHot(columns, width, dtype);
        return promote(real.oneHot(columns, width, dtype.realPart()), dtype);
    }

    @Override
    public Dense read(java.nio.channels.FileChannel file, long[] positions, long run, Stored stored, long[] shape, DType dtype)
            throws java.io.IOException {
        if (!dtype.isComplex()) return real.read(file, positions, run, stored, shape, dtype);
        return promote(real.read(file, positions, run, stored, shape, dtype.realPart()), dtype);
    }

    @Override
    public Dense mapped(java.nio.channels.FileChannel file, long position, Stored stored, long[] shape, DType dtype) throws java.io.IOException {
        return dtype.isComplex() ? null : real.mapped(file, position, stored, shape, dtype);
    }

    @Override
    public Dense stack(long[] shape, DType dtype, java.util.function.IntFunction<Dense> layer) {
        if (!dtype.isComplex()) return real.stack(shape, dtype, layer);
        DType part = dtype.realPart();
        return new ComplexDense(real.stack(shape, part, k -> ((ComplexDense) promote(layer.apply(k), dtype)).re()),
                real.stack(shape, part, k -> ((ComplexDense) promote(layer.apply(k), dtype)).im()), dtype);
    }

    @Override
    public Dense strided(Dense x, long offset, long[] shape, long[] steps) {
        if (x instanceof ComplexDense c) return new ComplexDense(real.strided(c.re(), offset, shape, steps), real.strided(c.im(), offset, shape, steps), c.dtype());
        return real.strided(x, offset, shape, steps);
    }

    @Override
    public void release(Dense x) {
        if (x instanceof ComplexDense c) {
            real.release(c.re());
            real.release(c.im());
        } else {
            real.release(x);
        }
    }

    // ---- contraction -----------------------------------------------------------------------

    @Override
    public Dense contract(Plan plan, List<Dense> operands) {
        DType type = null;
        for (Dense d : operands) if (d.dtype().isComplex()) type = type == null ? d.dtype() : DType.promote(type, d.dtype());
        if (type == null) return real.contract(plan, operands);
        for (Dense d : operands) type = DType.promote(type, d.dtype());
        Network n = plan.network();
        List<Dense> ops = new ArrayList<>();
        List<int[]> legs = new ArrayList<>();
        for (int k = 0; k < operands.size(); k++) {
            Dense x = operands.get(k);
            x = x instanceof ComplexDense ? promote(x, type) : real.cast(x, type.realPart());
            int[] in = n.inputs().get(k), prepared = plan.prepared().get(k);
            if (!Arrays.equals(in, prepared)) x = linear(x, single(n, in, prepared, plan.method()));
            ops.add(x);
            legs.add(prepared);
        }
        for (Plan.Step s : plan.steps()) {
            int hi = Math.max(s.left(), s.right()), lo = Math.min(s.left(), s.right());
            Dense l = ops.get(s.left()), r = ops.get(s.right());
            ops.remove(hi);
            ops.remove(lo);
            legs.remove(hi);
            legs.remove(lo);
            Network pair = new Network(List.of(s.leftLegs(), s.rightLegs()), s.result(), n.sizes(), n.names());
            ops.add(multiply(Plan.fromPath(pair, List.<int[]>of(new int[] {0, 1}), plan.method(), 0), l, r, type));
            legs.add(s.result());
        }
        Dense x = ops.get(0);
        if (!Arrays.equals(legs.get(0), n.output())) x = linear(x, single(n, legs.get(0), n.output(), plan.method()));
        return promote(x, type);
    }

    /** The one-input plan that takes {@code from}'s axes to {@code to}'s (diagonals, sums, a permutation). */
    private static Plan single(Network n, int[] from, int[] to, String method) {
        return Plan.fromPath(new Network(List.of(from), to, n.sizes(), n.names()), List.of(), method, 0);
    }

    /** A one-input plan applied to each part (it is linear). */
    private Dense linear(Dense x, Plan p) {
        if (x instanceof ComplexDense c) {
            return new ComplexDense(real.contract(p, List.of(c.re())), real.contract(p, List.of(c.im())), c.dtype());
        }
        return real.contract(p, List.of(x));
    }

    /** One step: four real contractions for two complex operands, two for one, one for none. */
    private Dense multiply(Plan p, Dense l, Dense r, DType type) {
        if (l instanceof ComplexDense a && r instanceof ComplexDense b) {
            Dense rr = real.contract(p, List.of(a.re(), b.re())), ii = real.contract(p, List.of(a.im(), b.im()));
            Dense re = real.linearCombination(List.of(rr, ii), new double[] {1, -1});
            real.release(rr);
            real.release(ii);
            Dense ri = real.contract(p, List.of(a.re(), b.im())), ir = real.contract(p, List.of(a.im(), b.re()));
            Dense im = real.linearCombination(List.of(ri, ir), new double[] {1, 1});
            real.release(ri);
            real.release(ir);
            return new ComplexDense(re, im, type);
        }
        if (l instanceof ComplexDense a) {
            return new ComplexDense(real.contract(p, List.of(a.re(), r)), real.contract(p, List.of(a.im(), r)), type);
        }
        if (r instanceof ComplexDense b) {
            return new ComplexDense(real.contract(p, List.of(l, b.re())), real.contract(p, List.of(l, b.im())), type);
        }
        return real.contract(p, List.of(l, r));
    }

    // ---- shape -----------------------------------------------------------------------------

    @Override
    public Dense take(Dense x, int axis, long index) {
        if (x instanceof ComplexDense c) return new ComplexDense(real.take(c.re(), axis, index), real.take(c.im(), axis, index), c.dtype());
        return real.take(x, axis, index);
    }

    @Override
    public Dense permute(Dense x, int[] perm) {
        if (x instanceof ComplexDense c) return new ComplexDense(real.permute(c.re(), perm), real.permute(c.im(), perm), c.dtype());
        return real.permute(x, perm);
    }

    @Override
    public Dense reshape(Dense x, long[] shape) {
        if (x instanceof ComplexDense c) return new ComplexDense(real.reshape(c.re(), shape), real.reshape(c.im(), shape), c.dtype());
        return real.reshape(x, shape);
    }

    @Override
    public Dense expandDiagonal(Dense x, int axis, int copies) {
        if (x instanceof ComplexDense c) {
            return new ComplexDense(real.expandDiagonal(c.re(), axis, copies), real.expandDiagonal(c.im(), axis, copies), c.dtype());
        }
        return real.expandDiagonal(x, axis, copies);
    }

    // ---- arithmetic ------------------------------------------------------------------------

    @Override
    public Dense linearCombination(List<Dense> terms, double[] coefficients, long[] shape) {
        return combined(terms, parts -> real.linearCombination(parts, coefficients, shape));
    }

    @Override
    public Dense linearCombination(List<Dense> terms, double[] coefficients) {
        return combined(terms, parts -> real.linearCombination(parts, coefficients));
    }

    /**
     * {@code combine} of the terms when all are real; else of their real parts and of their
     * imaginary parts, each term promoted to the terms' complex type.
     */
    private Dense combined(List<Dense> terms, java.util.function.Function<List<Dense>, Dense> combine) {
        DType type = null;
        for (Dense d : terms) if (d.dtype().isComplex()) type = type == null ? d.dtype() : DType.promote(type, d.dtype());
        if (type == null) return combine.apply(terms);
        for (Dense d : terms) type = DType.promote(type, d.dtype());
        List<Dense> re = new ArrayList<>(), im = new ArrayList<>();
        for (Dense d : terms) {
            ComplexDense c = (ComplexDense) promote(d, type);
            re.add(c.re());
            im.add(c.im());
        }
        return new ComplexDense(combine.apply(re), combine.apply(im), type);
    }

    @Override
    public Dense map(Dense x, Elementwise fn, double parameter) {
        if (!(x instanceof ComplexDense c)) return real.map(x, fn, parameter);
        return switch (fn) {
            case NEG -> new ComplexDense(real.map(c.re(), Elementwise.NEG, 0), real.map(c.im(), Elementwise.NEG, 0), c.dtype());
            case ABS -> {
                double[] re = real.toDoubles(c.re()), im = real.toDoubles(c.im());
                for (int k = 0; k < re.length; k++) re[k] = Math.hypot(re[k], im[k]);
                yield real.fromDoubles(re, c.shape(), c.dtype().realPart());
            }
            case EXP -> {
                // e^(a + bi) = e^a (cos b + i sin b)
                double[] re = real.toDoubles(c.re()), im = real.toDoubles(c.im());
                for (int k = 0; k < re.length; k++) {
                    double m = Math.exp(re[k]), b = im[k];
                    re[k] = m * Math.cos(b);
                    im[k] = m * Math.sin(b);
                }
                yield fromParts(re, im, c.shape(), c.dtype());
            }
            case POW -> {
                // Only what the interpreter lets through: a whole exponent, by repeated products
                // in polar form would round differently; z^-1 = conj(z) / |z|^2 and z^n by squaring.
                if (parameter != Math.rint(parameter)) throw refused("a fractional power");
                double[] re = real.toDoubles(c.re()), im = real.toDoubles(c.im());
                long e = (long) Math.abs(parameter);
                for (int k = 0; k < re.length; k++) {
                    double a = re[k], b = im[k], pr = 1, pi = 0;
                    for (long q = e; q > 0; q >>= 1) {
                        if ((q & 1) != 0) {
                            double t = pr * a - pi * b;
                            pi = pr * b + pi * a;
                            pr = t;
                        }
                        double t = a * a - b * b;
                        b = 2 * a * b;
                        a = t;
                    }
                    if (parameter < 0) {
                        double d = pr * pr + pi * pi;
                        pr = pr / d;
                        pi = -pi / d;
                    }
                    re[k] = pr;
                    im[k] = pi;
                }
                yield fromParts(re, im, c.shape(), c.dtype());
            }
            default -> throw refused(fn.name().toLowerCase(java.util.Locale.ROOT));
        };
    }

    @Override
    public Dense reduce(Dense x, int[] axes, Reduction op) {
        if (!(x instanceof ComplexDense c)) return real.reduce(x, axes, op);
        return switch (op) {
            case SUM, MEAN -> new ComplexDense(real.reduce(c.re(), axes, op), real.reduce(c.im(), axes, op), c.dtype());
            case NORM -> {
                // sqrt(sum |z|^2) = sqrt(norm(re)^2 + norm(im)^2), a real array.
                double[] a = real.toDoubles(real.reduce(c.re(), axes, op)), b = real.toDoubles(real.reduce(c.im(), axes, op));
                for (int k = 0; k < a.length; k++) a[k] = Math.hypot(a[k], b[k]);
                long[] shape = real.reduce(c.re(), axes, Reduction.SUM).shape();
                yield real.fromDoubles(a, shape, c.dtype().realPart());
            }
            default -> throw refused(op.name().toLowerCase(java.util.Locale.ROOT));
        };
    }

    @Override
    public Dense softmax(Dense x, int[] axes) {
        if (x instanceof ComplexDense) throw refused("softmax");
        return real.softmax(x, axes);
    }

    @Override
    public Dense layerNorm(Dense x, int[] axes, double eps) {
        if (x instanceof ComplexDense) throw refused("layernorm");
        return real.layerNorm(x, axes, eps);
    }

    // ---- matrix factorisations --------------------------------------------------------------
    // The real backend factorises complex matrices itself (LAPACK's complex routines, see
    // Backend#svd); one that cannot refuses them.

    @Override
    public Dense[] svd(Dense matrix) {
        return real.svd(matrix);
    }

    @Override
    public Dense svdvals(Dense matrix) {
        return real.svdvals(matrix);
    }

    @Override
    public Dense[] qr(Dense matrix) {
        return real.qr(matrix);
    }

    @Override
    public Dense[] eigh(Dense matrix) {
        return real.eigh(matrix);
    }

    @Override
    public Dense[] eig(Dense matrix) {
        return real.eig(matrix);
    }
}
