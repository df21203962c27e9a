package tn.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tn.diag.TnError;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Plan;
import tn.plan.Planner;

/**
 * Turns network expressions into tensors. Products (with their relabels and copy tensors) are
 * flattened into one network, planned as a whole and contracted pairwise on the backend; sums,
 * bubbles and reshapes are barriers evaluated first. Before anything runs, the plan's largest
 * intermediate is checked against the memory limit.
 *
 * <p>Without a backend (checking a script) the same walk computes signatures only: legs, sizes,
 * dtypes and plans, so size and memory errors are found before any number is computed.
 */
public final class Evaluator {
    private final Backend backend;
    private final Planner planner;
    private String method = "auto";
    private double memoryLimitBytes;
    private SliceExecutor executor = LocalSlices.INSTANCE;
    private double taskMemoryBytes = Double.POSITIVE_INFINITY;
    private PlanListener listener = (net, plan) -> {};
    private java.util.function.Consumer<String> progress = message -> {};
    private java.util.function.BiConsumer<tn.diag.Span, String> warnings = (span, message) -> {};
    private java.util.function.Supplier<Iterable<Net>> held = java.util.List::of;
    /** What a {@link #valuesOnly} scope still needs (null outside one, and when checking). */
    private Liveness liveness;
    /** True while an evaluation runs (nested calls are its own steps). */
    private boolean evaluating;
    private long recomputed;

    /**
     * Thrown when the thread was interrupted (Ctrl-C in the REPL): the evaluator stops at its next
     * step. A step in native code (one GEMM, one factorisation) cannot be stopped midway; the
     * interrupt takes effect when it ends.
     */
    public static final class Interrupted extends TnError {
        public Interrupted(tn.diag.Span span) {
            super(span, "interrupted");
        }
    }

    /** Told of every contraction plan made, with the network it was made for. */
    public interface PlanListener {
        void planned(Net net, Plan plan);
    }

    public Evaluator(Backend backend, Planner planner, double memoryLimitBytes) {
        this.backend = tn.exec.ComplexBackend.over(backend); // complex arrays over any real backend
        this.planner = planner;
        this.memoryLimitBytes = memoryLimitBytes;
    }

    public boolean concrete() { return backend != null; }

    public Backend backend() { return backend; }

    public void setMethod(String method) { this.method = method; }

    public String method() { return method; }

    /** The planning methods {@link #setMethod} accepts. */
    public List<String> methods() { return planner.methods(); }

    public void setMemoryLimitBytes(double bytes) { this.memoryLimitBytes = bytes; }

    public double memoryLimitBytes() { return memoryLimitBytes; }

    /** Where the slices of sliced plans run (this process unless set). */
    public void setExecutor(SliceExecutor executor) { this.executor = executor; }

    public SliceExecutor executor() { return executor; }

    /** The memory of one slice on a distributed executor (infinite: the memory limit alone). */
    public void setTaskMemoryBytes(double bytes) { this.taskMemoryBytes = bytes; }

    public double taskMemoryBytes() { return taskMemoryBytes; }

    public void setListener(PlanListener listener) { this.listener = listener; }

    /** Where warnings about a contraction go (its cost), with the span of the expression. */
    public void setWarnings(java.util.function.BiConsumer<tn.diag.Span, String> warnings) { this.warnings = warnings; }

    /** Where progress of long sliced contractions is reported (e.g. standard error). */
    public void setProgress(java.util.function.Consumer<String> progress) { this.progress = progress; }

    /**
     * The nodes the script can still reach (the interpreter's variables and the arguments of the
     * calls running), asked at each evaluation inside {@link #valuesOnly}: their values stay.
     */
    public void setHeld(java.util.function.Supplier<Iterable<Net>> held) { this.held = held; }

    /**
     * Runs {@code body}, which asks for values only: nothing it computes is differentiated or
     * expanded afterwards (`detach(forward(m, ids))`). Inside, each intermediate's memory goes back
     * once no node that may still be evaluated reads it, instead of when the garbage collector
     * finds the network unreachable ({@link Liveness}); every number is the same either way.
     * Nested scopes are one scope.
     */
    public <T> T valuesOnly(java.util.function.Supplier<T> body) {
        if (backend == null || liveness != null) return body.get();
        liveness = new Liveness(backend::release);
        try {
            return body.get();
        } finally {
            Liveness l = liveness;
            liveness = null;
            l.close(held.get());
        }
    }

    /**
     * How many times a node was computed again after {@link #valuesOnly} had dropped its value:
     * only a derivative or an expansion built later of what the scope computed reads such a node
     * (the tests check the stdlib's workflows keep it at 0).
     */
    public long recomputations() { return recomputed; }

    /**
     * The network's value: a concrete tensor, or a signature when checking. Memoised. The caller
     * may keep the tensor as long as it likes (a detached tensor holds its data).
     */
    public Tensor evaluate(Net net) {
        Tensor t = compute(net);
        if (liveness != null && !evaluating) liveness.escape(t.data());
        return t;
    }

    /**
     * Computes the network's value and memoises it, for a caller that reads it through the network
     * only (a variable's value): inside {@link #valuesOnly} it goes once the network is unreachable
     * from the script's variables.
     */
    public Tensor compute(Net net) {
        if (liveness == null || evaluating || memo(net) != null) return evaluateNode(net);
        evaluating = true;
        try {
            liveness.begin(net, held);
            return evaluateNode(net);
        } finally {
            evaluating = false;
            liveness.end();
        }
    }

    private Tensor evaluateNode(Net net) {
        Tensor memo = memo(net);
        if (memo != null) return memo;
        if (Thread.interrupted()) throw new Interrupted(net.span());
        if (backend != null && net.computed && !(net instanceof Net.Leaf)) recomputed++;
        Tensor t;
        if (net instanceof Net.Leaf leaf) {
            t = leaf.tensor();
        } else if (net instanceof Net.Sum sum) {
            t = sum(sum);
        } else if (net instanceof Net.Bubble bubble) {
            t = bubble(bubble);
        } else if (net instanceof Net.Reshape reshape) {
            t = reshape(reshape);
        } else {
            t = contract(net);
        }
        if (backend != null) {
            net.concrete = t;
            net.computed = true;
        }
        if (liveness != null) liveness.computed(net, t);
        // Computed values also have their signature, so shape-only passes (`:plan` in the REPL)
        // can treat them as tensors too.
        net.signature = Tensor.signature(t.legs(), t.shape(), t.dtype());
        return t;
    }

    private Tensor memo(Net net) {
        return backend != null ? net.concrete : net.signature;
    }

    // ---- contraction ------------------------------------------------------------------------

    private Tensor contract(Net root) {
        Flattening.Result flat = new Flattening(this::evaluateNode).flatten(root, this::memo);
        DType dtype = root.dtype();
        for (Tensor t : flat.operands()) if (t != null) dtype = DType.promote(dtype, t.dtype());
        Plan plan;
        // Slices that run on other workers must each fit the task memory too.
        double limit = executor.distributed() ? Math.min(memoryLimitBytes, taskMemoryBytes) : memoryLimitBytes;
        try {
            plan = planner.plan(flat.network(), method, limit / dtype.bytes());
        } catch (IllegalArgumentException e) {
            throw new TnError(root.span(), e.getMessage());
        }
        if (backend != null && executor.distributed() && plan.slicedLegs().length > 0) {
            // Sliced for the executors only when it runs: their number is known once they are up.
            Plan spread = tn.plan.ExecutorSlicing.choose(plan, executor.parallelism(), limit / dtype.bytes(), TASK_OVERHEAD_SECONDS * RATE);
            if (spread != null) plan = spread;
        }
        checkMemory(root, plan, dtype);
        checkCost(root, plan, dtype);
        listener.planned(root, plan);
        if (backend == null) return Tensor.signature(root.legs(), root.sizes(), dtype);

        List<Dense> operands = new ArrayList<>();
        for (int k = 0; k < flat.operands().size(); k++) {
            Tensor t = flat.operands().get(k);
            if (t == null) {
                long size = flat.network().sizes()[flat.network().inputs().get(k)[0]];
                operands.add(backend.full(new long[] {size}, 1.0, dtype));
            } else {
                operands.add(t.data());
            }
        }
        Dense result;
        try {
            result = plan.slicedLegs().length == 0 ? backend.contract(plan, operands) : executor.run(plan, operands, backend, progress);
        } catch (java.util.concurrent.CancellationException e) {
            throw new Interrupted(root.span());
        } catch (SliceExecutor.Failed e) {
            throw new TnError(root.span(), e.getMessage());
        }
        if (result.dtype() != dtype) result = replaced(result, backend.cast(result, dtype), operands);
        if (flat.coefficient() != 1.0) result = replaced(result, backend.linearCombination(List.of(result), new double[] {flat.coefficient()}), operands);
        result = replaced(result, spreadDiagonals(result, flat.rootToOutput()), operands);
        return Tensor.of(root.legs(), result);
    }

    /**
     * {@code now}, made from {@code before}: inside {@link #valuesOnly}, {@code before} (the
     * contraction's own result, unseen by anyone else) is given back at once when it is not an
     * operand and not complex (whose parts may be shared).
     */
    private Dense replaced(Dense before, Dense now, List<Dense> operands) {
        if (liveness == null || now == before || before.dtype().isComplex()) return now;
        for (Dense d : operands) if (d == before) return now;
        backend.release(before);
        return now;
    }

    /**
     * The contraction's output has one axis per distinct leg class; where several of the root's
     * legs were joined by a copy tensor, they are spread back onto a diagonal, then put in the
     * root's order.
     */
    private Dense spreadDiagonals(Dense x, int[] rootToOutput) {
        int distinct = x.rank();
        if (rootToOutput.length == distinct) {
            return isIdentity(rootToOutput) ? x : backend.permute(x, rootToOutput);
        }
        // Expand class by class; axes after expansion: class c occupies a run of copies.
        int[] multiplicity = new int[distinct];
        for (int c : rootToOutput) multiplicity[c]++;
        int axis = 0;
        for (int c = 0; c < distinct; c++) {
            if (multiplicity[c] > 1) x = backend.expandDiagonal(x, axis, multiplicity[c] - 1);
            axis += multiplicity[c];
        }
        // Now the axes are grouped by class in class order; give each root leg its own copy.
        int[] start = new int[distinct];
        for (int c = 1; c < distinct; c++) start[c] = start[c - 1] + multiplicity[c - 1];
        int[] next = start.clone();
        int[] perm = new int[rootToOutput.length];
        for (int k = 0; k < perm.length; k++) perm[k] = next[rootToOutput[k]]++;
        return isIdentity(perm) ? x : backend.permute(x, perm);
    }

    private void checkMemory(Net root, Plan plan, DType dtype) {
        double largest = Math.max(plan.largestIntermediate(), product(root.sizes()));
        double bytes = largest * dtype.bytes();
        if (bytes <= memoryLimitBytes) return;
        String legs = describeLargest(plan, root);
        throw new TnError(root.span(), "this contraction needs an intermediate of "
                + Units.count(largest) + " elements" + legs + ", " + Units.bytes(bytes) + " as " + dtype
                + ", over the memory limit of " + Units.bytes(memoryLimitBytes) + RAISE);
    }

    /**
     * Multiply-adds a second that a warning's time estimate assumes: about what a fast GEMM does on
     * a few cores (this 2-core machine: 0.4-0.8e11 in float32). Contractions of many small steps run
     * slower, so the estimate is a lower bound.
     */
    public static final double RATE = 1e11;
    /**
     * Seconds a distributed executor spends on one task besides contracting (scheduling, the
     * slice's result sent back): what slicing for executors weighs against finer slices. Measured
     * by SparkSlicesBench (spark/test) with local[2] on a shared 2-core machine: 324 slices of a
     * PEPS norm took 4.6 s more on Spark than in one process, about 14 ms per task.
     */
    public static final double TASK_OVERHEAD_SECONDS = 0.014;
    /** Contractions whose plan costs more than this (an hour at {@link #RATE}) are warned about. */
    static final double COST_WARNING = 3600 * RATE;

    /**
     * A warning, before anything runs, when the plan's cost means hours or more: a plan sliced to
     * fit the memory limit can cost many times the unsliced one (a 16 x 16 PEPS norm under 2 GB:
     * 10^27.7 multiply-adds against 10^14.2 with the memory for it), and the run would otherwise
     * only show its progress.
     */
    private void checkCost(Net root, Plan plan, DType dtype) {
        // The plan counts multiply-adds of its dtype; a complex one is 4 real ones (DType.workFactor).
        double cost = plan.cost() * dtype.workFactor();
        if (!(cost > COST_WARNING)) return;
        String sliced = plan.slicedLegs().length == 0 ? ""
                : ", as " + Units.count(plan.slices()) + " slices to fit the memory limit of " + Units.bytes(memoryLimitBytes)
                        + " (with more memory, fewer slices may do: --memory-limit or `set memory_limit = ...`)";
        warnings.accept(root.span(), "this contraction costs " + Units.count(cost) + (dtype.isComplex() ? " real" : "") + " multiply-adds" + sliced
                + "; at 10^11 a second that is " + Units.duration(cost / RATE) + " or more");
    }

    private static final String RAISE = " (raise it with --memory-limit or `set memory_limit = ...`)";

    private static String describeLargest(Plan plan, Net root) {
        int[] legs = null;
        double best = -1;
        for (Plan.Step s : plan.steps()) {
            if (s.resultSize() > best) { best = s.resultSize(); legs = s.result(); }
        }
        if (legs == null || best < product(root.sizes())) {
            return root.rank() == 0 ? "" : " (the result, legs " + describe(root.legs(), root.sizes()) + ")";
        }
        List<String> names = new ArrayList<>();
        long[] sizes = new long[legs.length];
        for (int k = 0; k < legs.length; k++) {
            names.add(plan.network().names()[legs[k]]);
            sizes[k] = plan.network().sizes()[legs[k]];
        }
        return " (legs " + describe(names, sizes) + ")";
    }

    /** Legs with their sizes as messages show them: [i=2, j=3]. */
    public static String describe(List<String> legs, long[] sizes) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < legs.size(); k++) {
            if (k > 0) sb.append(", ");
            sb.append(legs.get(k)).append('=').append(sizes[k]);
        }
        return sb.append(']').toString();
    }

    private static double product(long[] sizes) {
        double p = 1;
        for (long s : sizes) p *= s;
        return p;
    }

    // ---- barriers ---------------------------------------------------------------------------

    private Tensor sum(Net.Sum sum) {
        Tensor stacked = backend == null ? null : stackedSum(sum);
        if (stacked != null) return stacked;
        List<Dense> parts = new ArrayList<>();
        double[] coefficients = sum.coefficients().clone();
        boolean repeated = false;
        for (int k = 0; k < sum.terms().size(); k++) {
            Net term = sum.terms().get(k);
            Net bias = backend == null ? null : repeatedFactor(term, sum.legs());
            if (bias != null) { // b times ones along the leading legs: b itself, repeated as the sum reads it
                parts.add(align(evaluateNode(bias), sum.legs().subList(sum.rank() - bias.rank(), sum.rank())));
                coefficients[k] *= ((Net.Product) term).coefficient();
                repeated = true;
                continue;
            }
            Tensor t = evaluateNode(term);
            if (backend != null) parts.add(align(t, sum.legs()));
        }
        if (backend == null) return Tensor.signature(sum.legs(), sum.sizes(), sum.dtype());
        if (repeated) return Tensor.of(sum.legs(), backend.linearCombination(parts, coefficients, sum.sizes()));
        return Tensor.of(sum.legs(), backend.linearCombination(parts, coefficients));
    }

    /**
     * The factor b when {@code term} is b times vectors of ones (one-leg copy tensors) along legs
     * b lacks, and b's legs are the trailing legs of {@code legs} (a bias broadcast over positions:
     * broadcast(b, x)); the sum then adds b repeated instead of forming the product at the full size.
     * Null for any other term.
     */
    private static Net repeatedFactor(Net term, List<String> legs) {
        if (!(term instanceof Net.Product p) || p.factors().size() < 2) return null;
        Net b = null;
        for (Net f : p.factors()) {
            if (f instanceof Net.Delta d && d.rank() == 1) continue;
            if (b != null) return null;
            b = f;
        }
        if (b == null || b.rank() >= legs.size()) return null;
        if (new java.util.HashSet<>(b.legs()).size() != b.rank()) return null;
        List<String> trailing = legs.subList(legs.size() - b.rank(), legs.size());
        if (!new java.util.HashSet<>(b.legs()).equals(new java.util.HashSet<>(trailing))) return null;
        // Every other leg of the sum comes from exactly one ones vector, none of b's.
        List<String> ones = new ArrayList<>();
        for (Net f : p.factors()) if (f != b) ones.add(f.legs().get(0));
        if (ones.size() != legs.size() - b.rank() || new java.util.HashSet<>(ones).size() != ones.size()) return null;
        for (String l : ones) if (b.legs().contains(l) || !legs.contains(l)) return null;
        if (!new java.util.HashSet<>(p.legs()).equals(new java.util.HashSet<>(legs))) return null;
        return b;
    }

    /**
     * A sum whose every term is a product placing something at one index of a leg L through a
     * one-hot vector e_l[L] (the gradient of a layer-stacked weight collects one such term per layer
     * it is picked at): each term's other factors are contracted without the one-hot, and the sums
     * at each index are stacked along L, instead of forming every term at the size of the whole
     * stack and adding them (12 terms of 113 MB for GPT-2 small's W_in). Null when the sum is not of
     * that form, or leaves an index of L without a term.
     */
    private Tensor stackedSum(Net.Sum sum) {
        String leg = null;
        long n = 0;
        List<List<Net.Product>> at = null;
        List<Double> coefficients = new ArrayList<>();
        for (int t = 0; t < sum.terms().size(); t++) {
            if (!(sum.terms().get(t) instanceof Net.Product p)) return null;
            int unit = -1;
            for (int f = 0; f < p.factors().size(); f++) {
                Net x = p.factors().get(f);
                if (x instanceof Net.Leaf leaf && "onehot".equals(leaf.kind()) && leaf.rank() == 1 && p.legs().contains(leaf.legs().get(0))) {
                    unit = f;
                    break;
                }
            }
            if (unit < 0) return null;
            Net.Leaf e = (Net.Leaf) p.factors().get(unit);
            String l = e.legs().get(0);
            if (leg == null) {
                leg = l;
                n = e.size(0);
                if (n > 4096 || !sum.legs().contains(leg)) return null;
                at = new ArrayList<>();
                for (int k = 0; k < n; k++) at.add(new ArrayList<>());
            } else if (!leg.equals(l) || e.size(0) != n) {
                return null;
            }
            for (int f = 0; f < p.factors().size(); f++) if (f != unit && p.factors().get(f).legs().contains(leg)) return null;
            int index = unitIndex(e);
            if (index < 0) return null;
            List<Net> rest = new ArrayList<>(p.factors());
            rest.remove(unit);
            List<String> legs = new ArrayList<>(p.legs());
            legs.remove(leg);
            long[] sizes = new long[legs.size()];
            for (int k = 0; k < sizes.length; k++) sizes[k] = p.sizeOf(legs.get(k));
            at.get(index).add(new Net.Product(rest, legs, sizes, p.dtype(), p.coefficient() * sum.coefficients()[t], p.span()));
        }
        for (List<Net.Product> terms : at) if (terms.isEmpty()) return null;
        // The output: L first, then the other legs in the sum's order; each layer the sum of its terms.
        List<String> rest = new ArrayList<>(sum.legs());
        rest.remove(leg);
        List<String> stackedLegs = new ArrayList<>(List.of(leg));
        stackedLegs.addAll(rest);
        long[] shape = new long[stackedLegs.size()];
        for (int k = 0; k < shape.length; k++) shape[k] = sum.sizeOf(stackedLegs.get(k));
        long[] layerShape = shape.clone();
        layerShape[0] = 1;
        Dense[] layers = new Dense[(int) n];
        for (int k = 0; k < n; k++) {
            List<Dense> parts = new ArrayList<>();
            double[] ones = new double[at.get(k).size()];
            for (int t = 0; t < ones.length; t++) {
                parts.add(align(evaluateNode(at.get(k).get(t)), rest));
                ones[t] = 1;
            }
            Dense layer = parts.size() == 1 ? parts.get(0) : backend.linearCombination(parts, ones);
            layers[k] = backend.reshape(layer, layerShape);
        }
        DType dtype = sum.dtype();
        Dense whole = backend.stack(shape, dtype, k -> layers[k]);
        Tensor t = Tensor.of(stackedLegs, whole);
        return Tensor.of(sum.legs(), align(t, sum.legs()));
    }

    /** k when the one-hot leaf is the unit vector e_k (stored, all 0 but a single 1), else -1. */
    private int unitIndex(Net.Leaf e) {
        if (e.tensor().data() == null) return -1;
        double[] v = backend.toDoubles(e.tensor().data());
        int index = -1;
        for (int k = 0; k < v.length; k++) {
            if (v[k] == 0) continue;
            if (v[k] != 1 || index >= 0) return -1;
            index = k;
        }
        return index;
    }

    /** The tensor's data with its axes in the order of {@code legs} (a permutation of its own). */
    private Dense align(Tensor t, List<String> legs) {
        int[] perm = new int[legs.size()];
        for (int k = 0; k < perm.length; k++) perm[k] = t.legs().indexOf(legs.get(k));
        return isIdentity(perm) ? t.data() : backend.permute(t.data(), perm);
    }

    /** Products larger than this many entries have their Frobenius norm taken as sqrt(<N, N>), unformed. */
    static final double NORM_BY_INNER_PRODUCT = 1 << 20;

    private Tensor bubble(Net.Bubble b) {
        if (b.function() == BubbleFunction.NORM && b.rank() == 0 && isLargeProduct(b.inner())) {
            // ||N|| = sqrt(<N, N>): the network with itself, planned like any other, so a product through a
            // small middle (a QK circuit over the vocabulary) or a tensor train is never formed.
            Net n = b.inner();
            Net squared = new Net.Product(List.of(n, n), List.of(), new long[0], n.dtype(), 1.0, b.span());
            Tensor s = evaluateNode(squared);
            if (backend == null) return Tensor.signature(b.legs(), b.sizes(), b.dtype());
            return Tensor.of(b.legs(), backend.map(s.data(), Backend.Elementwise.SQRT, 0));
        }
        Tensor in = evaluateNode(b.inner());
        if (b.function().kind == BubbleFunction.Kind.NORMALISE && product(in.shape()) > tn.exec.Reductions.MAX_ENTRIES) {
            // Checked in the checking pass too: the row operations index their buffers by int.
            throw new TnError(b.span(), b.function().name().toLowerCase(java.util.Locale.ROOT) + " of a tensor of "
                    + Units.count(product(in.shape())) + " entries " + describe(in.legs(), in.shape()) + ": tn normalises at most "
                    + Units.count(tn.exec.Reductions.MAX_ENTRIES) + " entries at once; pick a slice of the other legs (pick(x, leg=k)) and normalise that");
        }
        if (backend == null) return Tensor.signature(b.legs(), b.sizes(), b.dtype());
        int[] axes = b.over().stream().mapToInt(in.legs()::indexOf).toArray();
        BubbleFunction f = b.function();
        Dense out = switch (f.kind) {
            case ELEMENTWISE -> backend.map(in.data(), f.elementwise, b.parameter());
            case NORMALISE -> f == BubbleFunction.SOFTMAX
                    ? backend.softmax(in.data(), axes)
                    : backend.layerNorm(in.data(), axes, b.parameter());
            case REDUCE -> backend.reduce(in.data(), axes.length == 0 ? range(in.rank()) : axes, f.reduction);
        };
        return Tensor.of(b.legs(), out);
    }

    private boolean isLargeProduct(Net n) {
        if (memo(n) != null && backend != null) return false;
        return n instanceof Net.Product && n.denseSize() > NORM_BY_INNER_PRODUCT;
    }

    private Tensor reshape(Net.Reshape r) {
        Tensor in = evaluateNode(r.inner());
        if (backend == null) return Tensor.signature(r.legs(), r.sizes(), r.dtype());
        Dense x = isIdentity(r.permutation()) ? in.data() : backend.permute(in.data(), r.permutation());
        return Tensor.of(r.legs(), backend.reshape(x, r.sizes()));
    }

    // ---- small helpers ----------------------------------------------------------------------

    private static boolean isIdentity(int[] perm) {
        for (int k = 0; k < perm.length; k++) if (perm[k] != k) return false;
        return true;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
