package tn.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import tn.exec.Backend;
import tn.exec.Dense;
import tn.net.Slices;
import tn.net.Units;
import tn.plan.Plan;

/**
 * One Spark task: contracts slice number {@code s} on the executor's ND4J backend, the same code
 * a local run uses ({@link Slices#contract}), and returns it as a {@link Partial}. The job's plan
 * and operands are decoded once per executor JVM and kept while tasks of that job arrive.
 */
final class SliceTask implements Function<Long, Partial> {
    private static final long serialVersionUID = 1L;

    /** Called before each slice (tests use it to make a first attempt fail); null normally. */
    interface Hook extends Serializable {
        void before(long slice);
    }

    private final Broadcast<SlicedJob> job;
    private final long slices;
    private final Hook hook;

    SliceTask(Broadcast<SlicedJob> job, long slices, Hook hook) {
        this.job = job;
        this.slices = slices;
        this.hook = hook;
    }

    @Override
    public Partial call(Long s) {
        if (hook != null) hook.before(s);
        Decoded d = decoded(job);
        SlicedJob j = job.value();
        double bytes = d.perSlice.largestIntermediate() * j.dtype().bytes();
        if (bytes > j.taskMemoryBytes) {
            throw new SliceFailed("slice " + (s + 1) + " of " + slices + " needs an intermediate of "
                    + Units.count(d.perSlice.largestIntermediate()) + " elements, " + Units.bytes(bytes) + " as " + j.dtype()
                    + ", over the memory of a Spark task (" + Units.bytes(j.taskMemoryBytes)
                    + "); give a smaller --task-memory (or `set task_memory = ...`) so that slices are smaller");
        }
        try {
            Dense part = Slices.contract(d.plan, d.perSlice, d.operands, d.backend, s);
            return new Partial(d.backend.toDoubles(part), part.shape());
        } catch (OutOfMemoryError e) {
            throw new SliceFailed("slice " + (s + 1) + " of " + slices + " ran out of memory on its executor ("
                    + e.getMessage() + "); give a smaller --task-memory, or the executors more memory");
        }
    }

    /** A job's plan and operands as this executor JVM holds them. */
    private record Decoded(long id, Backend backend, Plan plan, Plan perSlice, List<Dense> operands) {}

    private static Decoded current;
    private static Backend backend;

    private static synchronized Decoded decoded(Broadcast<SlicedJob> job) {
        if (current == null || current.id() != job.id()) {
            if (backend == null) backend = new tn.exec.nd4j.Nd4jBackend();
            current = null; // let the previous job's operands go before decoding these
            SlicedJob j = job.value();
            Plan plan = j.plan();
            current = new Decoded(job.id(), backend, plan, Slices.perSlice(plan), j.operands(backend));
        }
        return current;
    }

    /** Forgets the decoded job (the driver calls it when a run ends: in local mode tasks share its JVM). */
    static synchronized void forget() {
        current = null;
    }
}
