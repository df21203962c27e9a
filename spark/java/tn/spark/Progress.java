package tn.spark;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Listens to a run's tasks: counts the finished ones and reports slices done, elapsed time and
 * the time left (at most every two seconds, once the run has taken two), and on the first slice
 * that fails for tn's reasons ({@link SliceFailed}) keeps its message and cancels the run.
 */
final class Progress extends SparkListener {
    private final JavaSparkContext sc;
    private final String group;
    private final int tasks;
    private final long slices;
    private final Consumer<String> out;
    private final AtomicReference<String> failure;
    private final long start = System.nanoTime();
    private int done;
    private int firstStage = -1;
    private long firstDone;
    private long lastReport = start;

    Progress(JavaSparkContext sc, String group, int tasks, long slices, Consumer<String> out, AtomicReference<String> failure) {
        this.sc = sc;
        this.group = group;
        this.tasks = tasks;
        this.slices = slices;
        this.out = out;
        this.failure = failure;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() instanceof ExceptionFailure f && f.className().equals(SliceFailed.class.getName())) {
            if (failure.compareAndSet(null, f.description())) sc.cancelJobGroup(group);
            return;
        }
        if (end.reason() != Success$.MODULE$ || end.stageAttemptId() < 0) return;
        // Tasks of the first stage contract slices (the first to end belongs to it: the later
        // stages of treeReduce wait for it); the later ones only add partial sums.
        if (firstStage < 0) firstStage = end.stageId();
        if (end.stageId() != firstStage) return;
        done++;
        long now = System.nanoTime();
        if (done == 1) firstDone = now;
        double elapsed = (now - start) / 1e9;
        if (done > 1 && elapsed > 2 && (now - lastReport > 2e9 || done == tasks)) {
            lastReport = now;
            long slicesDone = tasks == slices ? done : Math.round((double) done / tasks * slices);
            // The rate since the first task ended: the first ones also pay for starting the executors.
            double left = (now - firstDone) / 1e9 / (done - 1) * (tasks - done);
            out.accept(String.format(Locale.ROOT, "slice %d of %d on Spark (%.0f s, about %.0f s left)", slicesDone, slices, elapsed, left));
        }
    }

}
