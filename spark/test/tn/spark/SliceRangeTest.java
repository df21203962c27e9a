package tn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The tasks' ranges of slices cover every slice once, in order, with sizes differing by at most
 * one, also for more slices than a list could hold (10^18) and past 2^63 in the product t S.
 */
class SliceRangeTest {
    @Test
    void rangesCoverEverySliceOnce() {
        long[][] cases = {{1, 1}, {7, 7}, {10, 3}, {1_000_003, 100_000}, {1_000_000_000_000_000_000L, 100_000}, {Long.MAX_VALUE, 99_991}};
        for (long[] c : cases) {
            long slices = c[0];
            int tasks = (int) c[1];
            assertEquals(0, SliceRange.start(0, slices, tasks));
            assertEquals(slices, SliceRange.start(tasks, slices, tasks), "the last range ends at the last slice");
            long smallest = Long.MAX_VALUE, largest = 0, previous = 0;
            for (int t = 1; t <= tasks; t++) {
                long end = SliceRange.start(t, slices, tasks);
                long size = end - previous;
                assertTrue(size >= 0, "ranges in order");
                smallest = Math.min(smallest, size);
                largest = Math.max(largest, size);
                previous = end;
            }
            assertTrue(largest - smallest <= 1, slices + " slices on " + tasks + " tasks: sizes " + smallest + " to " + largest);
        }
    }
}
