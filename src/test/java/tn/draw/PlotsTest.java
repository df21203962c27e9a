package tn.draw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The charts: what they contain, their colour scale, their scales' ticks, and determinism. */
class PlotsTest {
    static String svg(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void divergingColoursAreWhiteAtZeroAndSaturatedAtTheEnds() {
        assertEquals("#ffffff", Plots.colour(0));
        assertEquals("#2166ac", Plots.colour(-1));
        assertEquals("#b2182b", Plots.colour(1));
        assertEquals("#b2182b", Plots.colour(7), "clamped");
        assertEquals("#90b3d6", Plots.colour(-0.5));
    }

    @Test
    void heatmapHasOneCellPerEntryLabelsAndAColourBarCentredAtZero() {
        double[] m = {1, -2, 0, 0.5, 2, -1};
        String s = svg(Plots.heatmap(m, 2, 3, List.of("a", "b"), List.of("x", "y", "z"), "t <&>", "row", "col", false));
        int cellsStart = s.indexOf("<g id=\"cells\""), cellsEnd = s.indexOf("</g>", cellsStart);
        String cells = s.substring(cellsStart, cellsEnd);
        assertEquals(6, count(cells, "<rect"));
        // Entry 2 (the largest |x|) is fully red, -2 fully blue, 0 white.
        assertTrue(cells.contains("fill=\"#b2182b\""));
        assertTrue(cells.contains("fill=\"#2166ac\""));
        assertTrue(cells.contains("fill=\"#ffffff\""));
        assertTrue(s.contains(">a</text>") && s.contains(">b</text>"), "row labels");
        assertTrue(s.contains("transform=\"rotate(-90"), "column labels read upwards");
        assertTrue(s.contains("<title>t &lt;&amp;&gt;</title>"), "escaped title");
        assertTrue(s.contains(">-2</text>") && s.contains(">2</text>") && s.contains(">0</text>"), "colour bar from -max to max");
    }

    @Test
    void spectrumLogScaleTicksAreDecadesAndNonPositiveValuesAreCounted() {
        String s = svg(Plots.spectrum(new double[] {120, 3, 0.05, 0}, "S", "index", "value", true, false));
        for (String t : new String[] {"0.01", "0.1", "1", "10", "100", "1000"}) assertTrue(s.contains(">" + t + "</text>"), "tick " + t);
        assertTrue(s.contains("1 value &lt;= 0 not shown"));
        assertEquals(3, count(s, "class=\"value\""), "one dot per positive value");
    }

    @Test
    void niceTicksAreOneTwoOrFiveTimesAPowerOfTen() {
        assertArrayEquals(new double[] {0, 5, 10, 15, 20, 25, 30}, Plots.niceTicks(0, 26.2), 1e-12);
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, Plots.niceTicks(0, 1), 1e-12);
        assertEquals("1e-4", Plots.tick(1e-4));
        assertEquals("2.5", Plots.tick(2.5));
    }

    @Test
    void chartsAreByteIdenticalWhenDrawnTwiceAndPngIsAnImage() {
        double[] v = {5, 4, 3, 1};
        assertArrayEquals(Plots.spectrum(v, "S", "i", "v", false, false), Plots.spectrum(v, "S", "i", "v", false, false));
        byte[] png = Plots.heatmap(v, 2, 2, null, null, "m", "r", "c", true);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    /**
     * plot_directions: one arrow per column, each from the same origin; the angle of each arrow's
     * shaft in the picture (y up) is the angle of its column, and their lengths are in the ratio
     * of the columns' norms (equal scales on both axes); labels at the tips.
     */
    @Test
    void directionsAreArrowsWithTheColumnsAnglesAndLengthRatios() {
        double[] x = {1, 0, -0.809, 0.3, 2.0}, y = {0, 1, 0.588, -0.4, 2.0};
        String s = svg(Plots.directions(x, y, List.of("f 0", "f 1", "f 2", "f 3", "f 4"), "dirs", "h = 0", "h = 1", false));
        Matcher m = Pattern.compile("<path class=\"direction\" d=\"M([-0-9.]+),([-0-9.]+) L([-0-9.]+),([-0-9.]+)").matcher(s);
        double[] len = new double[5];
        double ox = Double.NaN, oy = Double.NaN;
        int k = 0;
        while (m.find()) {
            double x0 = Double.parseDouble(m.group(1)), y0 = Double.parseDouble(m.group(2));
            double x1 = Double.parseDouble(m.group(3)), y1 = Double.parseDouble(m.group(4));
            if (k == 0) { ox = x0; oy = y0; }
            assertEquals(ox, x0, 1e-6, "every arrow starts at the origin");
            assertEquals(oy, y0, 1e-6, "every arrow starts at the origin");
            assertEquals(Math.atan2(y[k], x[k]), Math.atan2(-(y1 - y0), x1 - x0), 0.01, "angle of arrow " + k);
            len[k] = Math.hypot(x1 - x0, y1 - y0);
            k++;
        }
        assertEquals(5, k, "one arrow per column:\n" + s);
        for (int j = 1; j < 5; j++) assertEquals(Math.hypot(x[j], y[j]) / Math.hypot(x[0], y[0]), len[j] / len[0], 0.01, "length ratio " + j);
        for (int j = 0; j < 5; j++) assertTrue(s.contains(">f " + j + "</text>"), "label " + j);
        assertTrue(s.contains("class=\"unit-circle\""), "the unit circle");
        assertArrayEquals(Plots.directions(x, y, List.of("a", "b", "c", "d", "e"), "t", "x", "y", false),
                Plots.directions(x, y, List.of("a", "b", "c", "d", "e"), "t", "x", "y", false), "deterministic");
    }
}
