package tn.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tn.net.Evaluator;
import tn.net.Units;
import tn.plan.ExecutorSlicing;
import tn.plan.Plan;

/**
 * What `tn plan --slices` adds to a sliced plan: the slicing chosen for N executors within the
 * task memory (tn.plan.ExecutorSlicing), its cost per slice and in all, and the time it would take
 * on N executors at a given GEMM rate, stated as the prediction it is.
 */
final class SlicingReport {
    private SlicingReport() {}

    static String format(Plan memory, int executors, double taskElements, double bytesPerElement, double rate, String rateSource) {
        Plan p = ExecutorSlicing.choose(memory, executors, taskElements, Evaluator.TASK_OVERHEAD_SECONDS * rate);
        StringBuilder sb = new StringBuilder();
        if (p == null) {
            return "  for " + executors + " executors:       no slicing fits a task memory of " + Units.bytes(taskElements * bytesPerElement);
        }
        List<String> legs = new ArrayList<>();
        for (int l : p.slicedLegs()) legs.add(p.network().names()[l]);
        double perSlice = p.cost() / p.slices();
        sb.append("  for ").append(executors).append(" executors:       ")
          .append(legs.isEmpty() ? "no slicing" : "sliced on " + String.join(", ", legs))
          .append(" (").append(p.slices()).append(" slices, ")
          .append((long) Math.ceil((double) p.slices() / executors)).append(" per executor; each within ")
          .append(Units.bytes(taskElements * bytesPerElement)).append(": largest intermediate ")
          .append(Units.count(p.largestIntermediate())).append(" elements)\n");
        sb.append("  cost per slice:        ").append(Units.count(perSlice)).append(" multiply-adds (all slices: ")
          .append(Units.count(p.cost())).append(")\n");
        for (int e : predictionCounts(executors)) {
            double seconds = ExecutorSlicing.predictSeconds(e == executors ? p : ExecutorSlicing.choose(memory, e, taskElements,
                    Evaluator.TASK_OVERHEAD_SECONDS * rate), e, rate, Evaluator.TASK_OVERHEAD_SECONDS);
            sb.append(String.format(Locale.ROOT, "  predicted on %-4d      %s%n", e, Units.duration(seconds)));
        }
        sb.append(String.format(Locale.ROOT, "  (a prediction: the slices' cost at %s multiply-adds a second per executor (%s), "
                + "plus %.0f ms per task; steps smaller than a GEMM run slower)", Units.count(rate), rateSource,
                Evaluator.TASK_OVERHEAD_SECONDS * 1e3));
        return sb.toString();
    }

    /** The executors asked for, then 8, 64 and 512 for comparison. */
    private static List<Integer> predictionCounts(int executors) {
        List<Integer> counts = new ArrayList<>(List.of(executors));
        for (int e : new int[] {8, 64, 512}) if (e != executors) counts.add(e);
        return counts;
    }
}
