package tn.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import tn.exec.Backend;
import tn.exec.Dense;
import tn.net.SliceExecutor;
import tn.plan.Plan;

/**
 * Runs the slices of a plan as Spark tasks: the plan and the operands are broadcast once, each
 * task gets a slice number and contracts that slice on its executor's ND4J backend
 * ({@link SliceTask}), and the partial sums meet in a tree reduction (treeReduce), summed in
 * float64. A task that dies (a lost executor, an exception of Spark's) is run again by Spark, up
 * to spark.task.maxFailures times (local[N,F] in local mode); a slice that fails for tn's reasons
 * ({@link SliceFailed}) stops the whole run at once with its message. The statement's value is
 * only made from the complete sum, so a failed run leaves nothing half written.
 *
 * <p>One Spark context per JVM (Spark allows no more), started at the first run and kept for the
 * next ones; stopped when the JVM ends.
 */
public final class SparkSlices implements SliceExecutor {
    /** Tasks per run at most: beyond, a task takes a range of slices. */
    static final int MAX_TASKS = 100_000;

    private final String master;
    private SliceTask.Hook hook;
    private double taskMemoryBytes = Double.POSITIVE_INFINITY;

    private static JavaSparkContext context;
    private static String contextMaster;

    SparkSlices(String master) {
        this.master = master;
    }

    @Override public String name() { return "spark"; }

    @Override public boolean distributed() { return true; }

    public String master() { return master; }

    @Override
    public int parallelism() {
        return context().defaultParallelism();
    }

    /** Tests: a hook run before every slice. */
    void setHook(SliceTask.Hook hook) { this.hook = hook; }

    /**
     * The memory an executor grants one slice, checked on the executor before the slice runs (the
     * planner slices for --task-memory on the driver; this guards executors that have less).
     */
    void setTaskMemoryBytes(double bytes) { this.taskMemoryBytes = bytes; }

    synchronized JavaSparkContext context() {
        synchronized (SparkSlices.class) {
            if (context != null && !master.equals(contextMaster)) {
                context.stop();
                context = null;
            }
            if (context == null) {
                SparkConf conf = new SparkConf().setMaster(master).setAppName("tn")
                        .setIfMissing("spark.ui.enabled", "false")
                        .setIfMissing("spark.ui.showConsoleProgress", "false");
                if (master.startsWith("local")) {
                    // One machine: no need to find a network address (and no warning about it).
                    conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
                }
                context = new JavaSparkContext(SparkContext.getOrCreate(conf));
                context.setLogLevel("ERROR");
                contextMaster = master;
            }
            return context;
        }
    }

    /** Stops the shared Spark context (tests; the JVM's end does it otherwise). */
    static void stopContext() {
        synchronized (SparkSlices.class) {
            if (context != null) context.stop();
            context = null;
            contextMaster = null;
        }
    }

    @Override
    public Dense run(Plan plan, List<Dense> operands, Backend backend, Consumer<String> progress) {
        long slices = plan.slices();
        JavaSparkContext sc = context();
        SlicedJob job = new SlicedJob(plan, operands, backend, taskMemoryBytes);
        Broadcast<SlicedJob> shared = sc.broadcast(job);
        int tasks = (int) Math.min(slices, MAX_TASKS);
        List<Integer> numbers = new ArrayList<>(tasks); // task numbers: each task takes a range of slices
        for (int t = 0; t < tasks; t++) numbers.add(t);
        String group = "tn-" + System.nanoTime();
        AtomicReference<String> failure = new AtomicReference<>();
        Progress listener = new Progress(sc, group, tasks, slices, progress, failure);
        sc.sc().addSparkListener(listener);
        sc.setJobGroup(group, "tn: " + slices + " slices", true);
        try {
            JavaRDD<Partial> parts = sc.parallelize(numbers, tasks).map(new SliceRange(new SliceTask(shared, slices, hook), slices, tasks));
            Partial sum = parts.treeReduce(Partial::plus, treeDepth(tasks));
            return backend.fromDoubles(sum.values, sum.shape, job.dtype());
        } catch (Exception e) { // SparkException is checked in Java's eyes but thrown undeclared from Scala
            if (failure.get() != null) throw new Failed(failure.get());
            String why = SliceFailed.class.getName() + ": ";
            String m = String.valueOf(e.getMessage());
            int at = m.indexOf(why);
            if (at >= 0) throw new Failed(m.substring(at + why.length()).lines().findFirst().orElse(""));
            throw new Failed("the Spark job of " + slices + " slices failed on " + master + ": " + firstLine(m));
        } finally {
            sc.clearJobGroup();
            sc.sc().removeSparkListener(listener);
            shared.destroy();
            SliceTask.forget();
        }
    }

    /** Levels of the reduction: partial sums meet in pairs-of-pairs rather than all at the driver. */
    private static int treeDepth(int tasks) {
        return Math.max(2, (int) Math.ceil(Math.log(Math.max(2, tasks)) / Math.log(16)));
    }

    private static String firstLine(String m) {
        return m.lines().findFirst().orElse(m);
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.0f s", s);
    }
}
