package tn.net;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import tn.exec.Backend;
import tn.exec.Dense;
import tn.plan.Plan;

/**
 * The slices of a plan one after another in this process, summed as they come; progress every
 * twentieth of the run once it has taken more than two seconds. An interrupt (Ctrl-C in the REPL)
 * stops it between slices.
 */
public final class LocalSlices implements SliceExecutor {
    public static final LocalSlices INSTANCE = new LocalSlices();

    private LocalSlices() {}

    @Override public String name() { return "local"; }

    @Override
    public Dense run(Plan plan, List<Dense> operands, Backend backend, Consumer<String> progress) {
        Plan perSlice = Slices.perSlice(plan);
        long slices = plan.slices();
        long start = System.nanoTime();
        Dense sum = null;
        for (long s = 0; s < slices; s++) {
            if (Thread.interrupted()) throw new CancellationException("interrupted");
            Dense part = Slices.contract(plan, perSlice, operands, backend, s);
            sum = sum == null ? part : backend.linearCombination(List.of(sum, part), new double[] {1, 1});
            double seconds = (System.nanoTime() - start) / 1e9;
            if (seconds > 2 && (s + 1) % Math.max(1, slices / 20) == 0) {
                progress.accept(String.format(Locale.ROOT, "slice %d of %d (%.0f s)", s + 1, slices, seconds));
            }
        }
        return sum;
    }
}
