package tn.net;

import java.util.List;
import java.util.function.Consumer;
import tn.exec.Backend;
import tn.exec.Dense;
import tn.plan.Plan;

/**
 * Runs the slices of a sliced plan and returns their sum: the seam between the evaluator and the
 * place where slices are computed. {@link LocalSlices} runs them one after another in this
 * process; other executors (Spark, in the optional `spark` build) are found by name through
 * {@link java.util.ServiceLoader} ({@link Executors}).
 */
public interface SliceExecutor {
    /** The name `set executor = ...` uses. */
    String name();

    /**
     * Whether slices run on other workers: then a sliced plan is re-sliced for
     * {@link #parallelism()} workers within the task memory (see tn.plan.ExecutorSlicing).
     */
    default boolean distributed() { return false; }

    /** How many slices run at once (asked only when a sliced plan is about to run). */
    default int parallelism() { return 1; }

    /**
     * The sum over all slices of {@code plan} of the contraction of the operands' slices, in the
     * output legs' order of the plan's network. {@code backend} holds the operands; progress of
     * long runs goes to {@code progress}.
     *
     * @throws Failed when a slice fails for a reason tn reports (memory, a lost job)
     */
    Dense run(Plan plan, List<Dense> operands, Backend backend, Consumer<String> progress);

    /** A failure of the run with a message for the user; the evaluator adds where it happened. */
    final class Failed extends RuntimeException {
        public Failed(String message) {
            super(message);
        }
    }

    /** Makes an executor; registered in META-INF/services/tn.net.SliceExecutor$Provider. */
    interface Provider {
        String name();

        /**
         * The executor, not started yet (a Spark context starts at its first run); {@code master}
         * says where it runs, null for the executor's default (Spark: TN_SPARK_MASTER, else local[*]).
         */
        SliceExecutor create(String master);
    }
}
