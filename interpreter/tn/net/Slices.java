package tn.net;

import java.util.ArrayList;
import java.util.List;
import tn.exec.Backend;
import tn.exec.Dense;
import tn.plan.Plan;

/**
 * One slice of a sliced plan: slice number {@code s} fixes the sliced legs to the digits of
 * {@code s} in the mixed radix of their sizes (the last sliced leg varies fastest), takes those
 * values out of every operand that has the legs, and contracts what is left along the plan's path.
 * Shared by every {@link SliceExecutor}, so a slice is computed the same way wherever it runs.
 */
public final class Slices {
    private Slices() {}

    /** The values of the sliced legs in slice {@code s}, in the order of {@link Plan#slicedLegs()}. */
    public static long[] values(Plan plan, long s) {
        int[] legs = plan.slicedLegs();
        long[] value = new long[legs.length];
        long rest = s;
        for (int j = legs.length - 1; j >= 0; j--) {
            long size = plan.network().sizes()[legs[j]];
            value[j] = rest % size;
            rest /= size;
        }
        return value;
    }

    /** The plan one slice runs: the same path on the network whose sliced legs have size 1. */
    public static Plan perSlice(Plan plan) {
        return Plan.fromPath(plan.sliceNetwork(), plan.path(), plan.method(), 0);
    }

    /** The contraction of slice {@code s}; {@code perSlice} is {@link #perSlice(Plan)} of the plan. */
    public static Dense contract(Plan plan, Plan perSlice, List<Dense> operands, Backend backend, long s) {
        int[] legs = plan.slicedLegs();
        long[] value = values(plan, s);
        List<Dense> sliced = new ArrayList<>(operands.size());
        for (int k = 0; k < operands.size(); k++) {
            Dense x = operands.get(k);
            int[] in = plan.network().inputs().get(k);
            for (int axis = 0; axis < in.length; axis++) {
                for (int j = 0; j < legs.length; j++) if (in[axis] == legs[j]) x = backend.take(x, axis, value[j]);
            }
            sliced.add(x);
        }
        return backend.contract(perSlice, sliced);
    }
}
