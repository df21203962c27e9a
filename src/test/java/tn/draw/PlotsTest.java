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
}
