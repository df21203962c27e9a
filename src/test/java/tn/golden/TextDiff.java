package tn.golden;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff for test messages: the lines of the expected text missing from the actual one
 * marked "-", lines only in the actual text "+", common lines " ", with two lines of context around
 * each change (a longest common subsequence; outputs shown in docs are small).
 */
final class TextDiff {
    private TextDiff() {}

    static String diff(String expected, String actual) {
        String[] a = lines(expected), b = lines(actual);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0, j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                lines.add("  " + a[i++]);
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                lines.add("- " + a[i++]);
            } else {
                lines.add("+ " + b[j++]);
            }
        }
        // Keep two lines of context around the changes.
        boolean[] keep = new boolean[lines.size()];
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).startsWith(" ")) continue;
            for (int c = Math.max(0, k - 2); c <= Math.min(lines.size() - 1, k + 2); c++) keep[c] = true;
        }
        StringBuilder sb = new StringBuilder("--- shown in the docs\n+++ printed by tn\n");
        boolean skipped = false;
        for (int k = 0; k < lines.size(); k++) {
            if (keep[k]) {
                sb.append(lines.get(k)).append('\n');
                skipped = false;
            } else if (!skipped) {
                sb.append("  ...\n");
                skipped = true;
            }
        }
        return sb.toString();
    }

    /** The lines of a text; a final line break ends the last line (no empty line after it). */
    private static String[] lines(String text) {
        String[] lines = text.split("\n", -1);
        return text.endsWith("\n") ? java.util.Arrays.copyOf(lines, lines.length - 1) : lines;
    }
}
