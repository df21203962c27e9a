package tn.spark;

import tn.net.SliceExecutor;

/** Registers the "spark" executor with tn (META-INF/services). */
public final class SparkSlicesProvider implements SliceExecutor.Provider {
    @Override public String name() { return "spark"; }

    @Override
    public SliceExecutor create(String master) {
        if (master == null) {
            String env = System.getenv("TN_SPARK_MASTER");
            master = env == null || env.isBlank() ? "local[*]" : env.strip();
        }
        return new SparkSlices(master);
    }
}
