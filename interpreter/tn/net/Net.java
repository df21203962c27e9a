package tn.net;

import java.util.List;
import tn.diag.Span;
import tn.exec.DType;

/**
 * A tensor expression kept as a network: the value of every tensor in a tn script. The structure
 * (which tensors, which legs join them, which bubbles enclose what) is what the planner orders
 * and what diagrams draw; {@link Evaluator} turns it into numbers.
 *
 * <p>Every node knows its open legs (names, in order), their sizes and its dtype. Nodes are
 * immutable except for two memo slots (the evaluated tensor, concrete and signature-only), so a
 * network computed once is reused as a tensor wherever it appears later.
 */
public abstract sealed class Net permits Net.Leaf, Net.Delta, Net.Relabel, Net.Product, Net.Sum, Net.Bubble, Net.Reshape {
    private final List<String> legs;
    private final long[] sizes;
    private final DType dtype;
    private final Span span;
    private String label;
    private String tag;
    private boolean slot;
    Tensor concrete;
    Tensor signature;
    /** Set once a value has been computed (it may have been dropped since: Evaluator#valuesOnly). */
    boolean computed;

    Net(List<String> legs, long[] sizes, DType dtype, Span span) {
        this.legs = List.copyOf(legs);
        this.sizes = sizes.clone();
        this.dtype = dtype;
        this.span = span;
    }

    public List<String> legs() { return legs; }

    public long[] sizes() { return sizes.clone(); }

    public long size(int axis) { return sizes[axis]; }

    /** The size of a named leg, or -1 when the network has no such leg. */
    public long sizeOf(String leg) {
        int k = legs.indexOf(leg);
        return k < 0 ? -1 : sizes[k];
    }

    public int rank() { return legs.size(); }

    /** The number of entries of the network's value (a double: it may be beyond any array). */
    public double denseSize() {
        double n = 1;
        for (long s : sizes) n *= s;
        return n;
    }

    public DType dtype() { return dtype; }

    /** Where in the script this network was written. */
    public Span span() { return span; }

    /** The name it is known by (the variable it was assigned to), or null. */
    public String label() { return label; }

    /**
     * The networks this one is made of: a product's factors, a sum's terms, the inside of a
     * bubble, relabelling or reshape; none for tensors and copy tensors (a stored slice's source is
     * not a part: it is made only when a derivative asks).
     */
    public List<Net> children() {
        if (this instanceof Product p) return p.factors();
        if (this instanceof Sum s) return s.terms();
        if (this instanceof Bubble b) return List.of(b.inner());
        if (this instanceof Relabel r) return List.of(r.inner());
        if (this instanceof Reshape r) return List.of(r.inner());
        return List.of();
    }

    /** Names the network once (the first assignment wins, so aliases keep the original name). */
    public void nameIfAnonymous(String name) {
        if (label == null) label = name;
    }

    /**
     * The path tag of this node for path expansion: a component ("L0H3", a summand of a residual
     * stream) or, when {@link #isSlot()}, the input slot a component reads through ("V", "Q", "K").
     */
    public String tag() { return tag; }

    public boolean isSlot() { return slot; }

    /** Sets the tag once (a node made for tagging, see tn.interp's tag()). */
    public void setTag(String tag, boolean slot) {
        if (this.tag != null) throw new IllegalStateException("tagged twice");
        this.tag = tag;
        this.slot = slot;
    }

    /** The evaluated tensor when it has been computed already (null otherwise). */
    public Tensor cached() { return concrete; }

    /** A dense tensor (data from a file, a literal, a creation function or a barrier's result). */
    public static final class Leaf extends Net {
        private final Tensor tensor;
        private final String kind;
        private final java.util.function.Supplier<Net> source;

        public Leaf(Tensor tensor, String kind, Span span) {
            this(tensor, kind, span, null);
        }

        /**
         * A stored tensor that is also the value of the network {@code source} gives (with the same
         * legs in the same order): a slice taken of a tensor (`pick`) is that tensor contracted with
         * one-hot vectors. Evaluation uses the stored tensor; derivatives go through the source, so
         * the gradient with respect to a layer-stacked weight reaches every slice taken of it. The
         * source is made only when a derivative asks for it.
         */
        public Leaf(Tensor tensor, String kind, Span span, java.util.function.Supplier<Net> source) {
            super(tensor.legs(), tensor.shape(), tensor.dtype(), span);
            this.tensor = tensor;
            this.kind = kind;
            this.source = source;
            if (tensor.isConcrete()) concrete = tensor;
            signature = Tensor.signature(tensor.legs(), tensor.shape(), tensor.dtype());
        }

        public Tensor tensor() { return tensor; }

        /** The network this tensor is the value of (for derivatives), or null. */
        public Net source() {
            if (source == null) return null;
            Net n = source.get();
            if (!n.legs().equals(legs())) throw new IllegalStateException("a leaf's source has legs " + n.legs() + ", not " + legs());
            return n;
        }

        /** What made it (`random`, `load`, `literal`, ...), for diagrams. */
        public String kind() { return kind; }
    }

    /** A copy tensor: 1 where all its legs agree, 0 elsewhere (`delta`, `eye`). Never stored. */
    public static final class Delta extends Net {
        public Delta(List<String> legs, long size, DType dtype, Span span) {
            super(legs, repeat(size, legs.size()), dtype, span);
        }

        public long legSize() { return size(0); }

        private static long[] repeat(long s, int n) {
            long[] a = new long[n];
            java.util.Arrays.fill(a, s);
            return a;
        }
    }

    /**
     * {@code inner} with its legs renamed by position. The new names may repeat a name (`A[i,i]`);
     * such a relabel only ever appears as a factor of a {@link Product}, which decides whether the
     * repeated leg is traced or kept as a diagonal.
     */
    public static final class Relabel extends Net {
        private final Net inner;

        public Relabel(Net inner, List<String> newLegs, Span span) {
            super(newLegs, inner.sizes(), inner.dtype(), span);
            this.inner = inner;
        }

        public Net inner() { return inner; }
    }

    /**
     * Factors joined by leg names: a leg on two factors is contracted, on more a hyperedge; the
     * output legs (explicit or by einsum's rule) are kept; everything else is summed. Scaled by
     * {@code coefficient}.
     */
    public static final class Product extends Net {
        private final List<Net> factors;
        private final double coefficient;

        public Product(List<Net> factors, List<String> output, long[] sizes, DType dtype, double coefficient, Span span) {
            super(output, sizes, dtype, span);
            this.factors = List.copyOf(factors);
            this.coefficient = coefficient;
        }

        public List<Net> factors() { return factors; }

        public double coefficient() { return coefficient; }
    }

    /** sum_k coefficients[k] * terms[k]; every term has the same leg set (aligned by name). */
    public static final class Sum extends Net {
        private final List<Net> terms;
        private final double[] coefficients;

        public Sum(List<Net> terms, double[] coefficients, Span span) {
            super(terms.get(0).legs(), terms.get(0).sizes(), promote(terms), span);
            this.terms = List.copyOf(terms);
            this.coefficients = coefficients.clone();
        }

        public List<Net> terms() { return terms; }

        public double[] coefficients() { return coefficients.clone(); }

        private static DType promote(List<Net> terms) {
            DType d = terms.get(0).dtype();
            for (Net t : terms) d = DType.promote(d, t.dtype());
            return d;
        }
    }

    /**
     * A nonlinearity around a sub-network: everything inside is contracted first, then
     * {@code function} is applied, elementwise or over the legs {@code over}.
     */
    public static final class Bubble extends Net {
        private final BubbleFunction function;
        private final Net inner;
        private final List<String> over;
        private final double parameter;

        public Bubble(BubbleFunction function, Net inner, List<String> over, double parameter, Span span) {
            super(function.outputLegs(inner.legs(), over), function.outputSizes(inner, over), function.outputType(inner.dtype()), span);
            this.function = function;
            this.inner = inner;
            this.over = List.copyOf(over);
            this.parameter = parameter;
        }

        public BubbleFunction function() { return function; }

        public Net inner() { return inner; }

        public List<String> over() { return over; }

        public double parameter() { return parameter; }
    }

    /**
     * Legs grouped or split (row-major, the last part fastest): the inner result permuted by
     * {@code permutation} and reshaped to this node's legs.
     */
    public static final class Reshape extends Net {
        private final Net inner;
        private final int[] permutation;

        public Reshape(Net inner, int[] permutation, List<String> legs, long[] sizes, Span span) {
            super(legs, sizes, inner.dtype(), span);
            this.inner = inner;
            this.permutation = permutation.clone();
        }

        public Net inner() { return inner; }

        public int[] permutation() { return permutation.clone(); }
    }

}
