package tn.net;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The slice executors by name: `local` always, others (`spark`) when their provider is on the
 * class path (the optional `spark` build adds it). Asking for one that is known but not built in
 * gives the command that builds it.
 */
public final class Executors {
    private Executors() {}

    /** Executors tn knows of, whether or not this build has them. */
    public static final List<String> KNOWN = List.of("local", "spark");

    /** What to do to get the Spark executor (the exact command). */
    public static final String BUILD_SPARK = "tn was built without Spark: build it with `mvn -Pspark -DskipTests package` "
            + "in tn's folder (the ./tn launcher does this itself when given --spark or TN_SPARK=1)";

    /**
     * The executor called {@code name}, running on {@code master} (null: its default).
     *
     * @throws IllegalArgumentException for an unknown name, or one this build does not have (the
     *     message says what to do)
     */
    public static SliceExecutor named(String name, String master) {
        if (name.equals("local")) return LocalSlices.INSTANCE;
        List<String> built = new ArrayList<>(List.of("local"));
        java.util.Iterator<SliceExecutor.Provider> providers = ServiceLoader.load(SliceExecutor.Provider.class, Executors.class.getClassLoader()).iterator();
        while (true) {
            SliceExecutor.Provider p;
            try {
                if (!providers.hasNext()) break;
                p = providers.next();
                if (p.name().equals(name)) return p.create(master);
            } catch (java.util.ServiceConfigurationError | LinkageError e) {
                // Classes left from a Spark build without Spark's jars on the class path: not built.
                continue;
            }
            built.add(p.name());
        }
        if (KNOWN.contains(name)) throw new IllegalArgumentException("the \"" + name + "\" executor is not in this build: " + BUILD_SPARK);
        throw new IllegalArgumentException("unknown executor \"" + name + "\"; the executors are " + String.join(", ", KNOWN));
    }
}
