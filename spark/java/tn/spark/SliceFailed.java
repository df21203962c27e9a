package tn.spark;

/**
 * A slice failed for a reason of tn's (its intermediate does not fit the task's memory, the
 * executor ran out of memory): running it again would fail again, so the driver stops the run
 * at the first one (see {@link SparkSlices}) instead of letting Spark retry it.
 */
final class SliceFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SliceFailed(String message) {
        super(message);
    }
}
