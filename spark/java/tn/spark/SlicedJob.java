package tn.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * What every task of one sliced contraction needs, in a form Java serialisation carries: the
 * plan (network, path and sliced legs; replayed on the executor, so its costs are the driver's)
 * and the operands' numbers. Broadcast once per contraction; each task gets only a slice number.
 */
final class SlicedJob implements Serializable {
    private static final long serialVersionUID = 1L;

    final int[][] inputs;
    final int[] output;
    final long[] sizes;
    final String[] names;
    final int[][] path;
    final String method;
    final int[] slicedLegs;
    final double[][] data;
    final long[][] shapes;
    final String[] dtypes;
    /** Bytes a task may use for its largest intermediate (checked on the executor); infinite: no check. */
    final double taskMemoryBytes;

    SlicedJob(Plan plan, List<Dense> operands, Backend backend, double taskMemoryBytes) {
        Network n = plan.network();
        inputs = n.inputs().toArray(new int[0][]);
        output = n.output();
        sizes = n.sizes();
        names = n.names();
        path = plan.path().toArray(new int[0][]);
        method = plan.method();
        slicedLegs = plan.slicedLegs().clone();
        data = new double[operands.size()][];
        shapes = new long[operands.size()][];
        dtypes = new String[operands.size()];
        for (int k = 0; k < operands.size(); k++) {
            data[k] = backend.toDoubles(operands.get(k));
            shapes[k] = operands.get(k).shape();
            dtypes[k] = operands.get(k).dtype().toString();
        }
        this.taskMemoryBytes = taskMemoryBytes;
    }

    Plan plan() {
        Network n = new Network(List.of(inputs), output, sizes, names);
        return Plan.fromPath(n, List.of(path), method, 0).slice(slicedLegs);
    }

    List<Dense> operands(Backend backend) {
        List<Dense> out = new ArrayList<>(data.length);
        for (int k = 0; k < data.length; k++) out.add(backend.fromDoubles(data[k], shapes[k], DType.parse(dtypes[k])));
        return out;
    }

    /** The dtype the slices are computed in: the widest of the operands'. */
    DType dtype() {
        DType d = DType.FLOAT32;
        for (String s : dtypes) d = DType.promote(d, DType.parse(s));
        return d;
    }
}
