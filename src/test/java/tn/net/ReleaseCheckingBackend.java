package tn.net;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Plan;

/**
 * A backend over another that refuses any operation on a value released before (the evaluator's
 * early releases must only ever give back values nothing reads again, and only values it made),
 * and counts what it released and what the evaluator made and did not release. Every operation the evaluator and the builtins of the tests use passes
 * through it, so a value read after its release fails the test at the operation that read it.
 */
public final class ReleaseCheckingBackend implements Backend {
    private final Backend real;
    private final Set<Dense> released = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Dense> made = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Values made while the evaluator was computing a node (not by a builtin, nor by loading). */
    private final Set<Dense> byEvaluator = Collections.newSetFromMap(new IdentityHashMap<>());

    public ReleaseCheckingBackend(Backend real) {
        this.real = real;
    }

    public int releasedCount() {
        return released.size();
    }

    private Dense check(Dense x) {
        if (released.contains(x)) throw new AssertionError("a released value was read: " + x);
        return x;
    }

    private List<Dense> check(List<Dense> xs) {
        for (Dense x : xs) check(x);
        return xs;
    }

    private Dense made(Dense x) {
        made.add(x);
        if (StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().equals("tn.net.Evaluator") && f.getMethodName().equals("evaluateNode")))) byEvaluator.add(x);
        return x;
    }

    /** Values the evaluator made and did not release, so far. */
    public int unreleasedByEvaluator() {
        int n = 0;
        for (Dense d : byEvaluator) if (!released.contains(d)) n++;
        return n;
    }

    @Override public void release(Dense x) {
        check(x);
        if (!made.contains(x)) throw new AssertionError("released a value this backend did not make (a tensor's, or another backend's): " + x);
        released.add(x);
        real.release(x);
    }

    @Override public Dense fromDoubles(double[] data, long[] shape, DType dtype) { return made(real.fromDoubles(data, shape, dtype)); }
    @Override public double[] toDoubles(Dense x) { return real.toDoubles(check(x)); }
    @Override public void copyDoubles(Dense x, long from, double[] into, int count) { real.copyDoubles(check(x), from, into, count); }
    @Override public Dense cast(Dense x, DType dtype) { return made(real.cast(check(x), dtype)); }
    @Override public Dense full(long[] shape, double value, DType dtype) { return made(real.full(shape, value, dtype)); }
    @Override public Dense generate(long[] shape, DType dtype, Entries entries) { return made(real.generate(shape, dtype, entries)); }
    @Override public Dense oneHot(int[] columns, long width, DType dtype) { return made(real.oneHot(columns, width, dtype)); }
    @Override public Dense stack(long[] shape, DType dtype, java.util.function.IntFunction<Dense> layer) { return made(real.stack(shape, dtype, k -> check(layer.apply(k)))); }
    @Override public Dense strided(Dense x, long offset, long[] shape, long[] steps) { return made(real.strided(check(x), offset, shape, steps)); }
    @Override public Dense contract(Plan plan, List<Dense> operands) { return made(real.contract(plan, check(operands))); }
    @Override public Dense take(Dense x, int axis, long index) { return made(real.take(check(x), axis, index)); }
    @Override public Dense permute(Dense x, int[] perm) { return made(real.permute(check(x), perm)); }
    @Override public Dense reshape(Dense x, long[] shape) { return made(real.reshape(check(x), shape)); }
    @Override public Dense expandDiagonal(Dense x, int axis, int copies) { return made(real.expandDiagonal(check(x), axis, copies)); }
    @Override public Dense linearCombination(List<Dense> terms, double[] coefficients) { return made(real.linearCombination(check(terms), coefficients)); }
    @Override public Dense linearCombination(List<Dense> terms, double[] coefficients, long[] shape) { return made(real.linearCombination(check(terms), coefficients, shape)); }
    @Override public Dense map(Dense x, Elementwise fn, double parameter) { return made(real.map(check(x), fn, parameter)); }
    @Override public Dense reduce(Dense x, int[] axes, Reduction op) { return made(real.reduce(check(x), axes, op)); }
    @Override public Dense softmax(Dense x, int[] axes) { return made(real.softmax(check(x), axes)); }
    @Override public Dense layerNorm(Dense x, int[] axes, double eps) { return made(real.layerNorm(check(x), axes, eps)); }
    @Override public Dense[] svd(Dense m) { return real.svd(check(m)); }
    @Override public Dense svdvals(Dense m) { return real.svdvals(check(m)); }
    @Override public Dense[] qr(Dense m) { return real.qr(check(m)); }
    @Override public Dense[] eigh(Dense m) { return real.eigh(check(m)); }
    @Override public Dense[] eig(Dense m) { return real.eig(check(m)); }
}
