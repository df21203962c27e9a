package tn.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tn.plan.Network;

/**
 * Flattens a network expression into one {@link Network} for the planner: nested products are
 * inlined with their inner legs renamed apart, relabels become leg identities, copy tensors
 * ({@code delta}) are eliminated by merging the legs they join (never stored), and barriers (sums,
 * bubbles, reshapes) and already-computed networks enter as single operands.
 */
final class Flattening {
    /** An operand of the flat network: a tensor and the leg ids of its axes. */
    record Operand(Tensor tensor, int[] legs) {}

    private final Function<Net, Tensor> barrier;
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<int[]> operandLegs = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();
    private final LegUnion legs = new LegUnion();
    private double coefficient = 1;

    /** The flat network, its operands in input order, and how to shape the result. */
    record Result(Network network, List<Tensor> operands, double coefficient, int[] rootToOutput) {}

    /**
     * @param barrier evaluates a net that cannot be inlined (or returns its memo); the flattening
     *     also uses it for nets that have been computed already
     */
    Flattening(Function<Net, Tensor> barrier) {
        this.barrier = barrier;
    }

    /** Flattens {@code root}; {@code cachedOf} gives a computed tensor for a net, or null. */
    Result flatten(Net root, Function<Net, Tensor> cachedOf) {
        int[] rootIds = new int[root.rank()];
        for (int k = 0; k < rootIds.length; k++) rootIds[k] = newLeg(root.legs().get(k), root.size(k));
        add(root, rootIds, cachedOf, true);
        return build(rootIds);
    }

    private int newLeg(String name, long size) {
        names.add(name);
        sizes.add(size);
        return legs.add();
    }

    private int find(int x) {
        return legs.find(x);
    }

    private void union(int a, int b) {
        legs.union(a, b);
    }

    private void add(Net net, int[] ids, Function<Net, Tensor> cachedOf, boolean root) {
        Tensor cached = root ? null : cachedOf.apply(net);
        if (cached != null) {
            operand(cached, ids);
            return;
        }
        if (net instanceof Net.Leaf leaf) {
            operand(leaf.tensor(), ids);
        } else if (net instanceof Net.Delta) {
            for (int k = 1; k < ids.length; k++) union(ids[0], ids[k]);
        } else if (net instanceof Net.Relabel r) {
            add(r.inner(), ids, cachedOf, false);
        } else if (net instanceof Net.Product p) {
            Map<String, Integer> scope = new HashMap<>();
            for (int k = 0; k < ids.length; k++) scope.put(p.legs().get(k), ids[k]);
            for (Net f : p.factors()) {
                int[] fids = new int[f.rank()];
                for (int k = 0; k < fids.length; k++) {
                    final long size = f.size(k);
                    fids[k] = scope.computeIfAbsent(f.legs().get(k), name -> newLeg(name, size));
                }
                add(f, fids, cachedOf, false);
            }
            coefficient *= p.coefficient();
        } else {
            operand(barrier.apply(net), ids);
        }
    }

    private void operand(Tensor t, int[] ids) {
        tensors.add(t);
        operandLegs.add(ids.clone());
    }

    private Result build(int[] rootIds) {
        // Number the leg classes (after delta merges) in order of first appearance.
        Map<Integer, Integer> classId = new LinkedHashMap<>();
        List<int[]> inputs = new ArrayList<>();
        for (int[] legs : operandLegs) {
            int[] mapped = new int[legs.length];
            for (int k = 0; k < legs.length; k++) mapped[k] = classOf(legs[k], classId);
            inputs.add(mapped);
        }
        List<Tensor> operands = new ArrayList<>(tensors);
        // A class that no operand carries (a delta alone, or deltas joined only to each other)
        // enters as a vector of ones: kept, it spans the diagonal; summed, it counts its size.
        boolean[] carried = new boolean[legs.size()];
        for (int[] in : inputs) for (int c : in) carried[c] = true;
        List<Integer> all = new ArrayList<>();
        for (int id = 0; id < legs.size(); id++) if (find(id) == id) all.add(id);
        for (int rep : all) {
            int c = classOf(rep, classId);
            if (carried[c]) continue;
            operands.add(null); // ones, made by the evaluator, which knows the dtype and backend
            inputs.add(new int[] {c});
        }
        int[] rootToOutput = new int[rootIds.length];
        List<Integer> output = new ArrayList<>();
        Map<Integer, Integer> positions = new HashMap<>(); // class -> its position in output
        for (int k = 0; k < rootIds.length; k++) {
            int c = classOf(rootIds[k], classId);
            Integer pos = positions.putIfAbsent(c, output.size());
            if (pos == null) {
                pos = output.size();
                output.add(c);
            }
            rootToOutput[k] = pos;
        }
        long[] classSizes = new long[classId.size()];
        String[] classNames = new String[classId.size()];
        Map<String, Integer> used = new HashMap<>();
        for (Map.Entry<Integer, Integer> e : classId.entrySet()) {
            classSizes[e.getValue()] = sizes.get(e.getKey());
            String base = names.get(e.getKey());
            int n = used.merge(base, 1, Integer::sum);
            classNames[e.getValue()] = n == 1 ? base : base + "'".repeat(n - 1);
        }
        int[] outputClasses = new int[output.size()];
        for (int k = 0; k < outputClasses.length; k++) outputClasses[k] = output.get(k);
        Network network = new Network(inputs, outputClasses, classSizes, classNames);
        return new Result(network, operands, coefficient, rootToOutput);
    }

    private int classOf(int id, Map<Integer, Integer> classId) {
        return classId.computeIfAbsent(find(id), r -> classId.size());
    }
}
