package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Number and tensor formats are part of the golden outputs, so they are pinned here. */
class PrinterTest {
    @Test
    void numbersHaveSixSignificantDigits() {
        assertEquals("3.14159", Printer.number(Math.PI));
        assertEquals("14", Printer.number(13.9999999));
        assertEquals("0", Printer.number(-0.0));
        assertEquals("1.5e-07", Printer.number(1.5e-7));
        assertEquals("-2.5e+20", Printer.number(-2.5e20));
        assertEquals("123457", Printer.number(123456.7));
        assertEquals("nan", Printer.number(Double.NaN));
    }

    @Test
    void previewsAlignColumnsAndCutLongAxes() {
        assertEquals("[[ 1.0000, -2.0000],\n [ 3.0000,  4.5000]]",
                Printer.preview(new double[] {1, -2, 3, 4.5}, new long[] {2, 2}));
        double[] ten = new double[10];
        for (int i = 0; i < 10; i++) ten[i] = i;
        assertEquals("[0.0000, 1.0000, 2.0000, ..., 7.0000, 8.0000, 9.0000]", Printer.preview(ten, new long[] {10}));
        assertEquals("[1.0000e-05, 2.0000e-05]", Printer.preview(new double[] {1e-5, 2e-5}, new long[] {2}));
    }

    @org.junit.jupiter.api.Test
    void theColumnWidthFromTheExtremeEntriesEqualsTheWidestOfAll() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int trial = 0; trial < 300; trial++) {
            double[] d = new double[1 + r.nextInt(40)];
            double scale = Math.pow(10, r.nextInt(-8, 9));
            for (int k = 0; k < d.length; k++) {
                int kind = r.nextInt(12);
                d[k] = kind == 0 ? 0 : kind == 1 ? -0.00001 : kind == 2 ? 9.99996 * scale : kind == 3 ? Double.NaN
                        : kind == 4 ? Double.NEGATIVE_INFINITY : (r.nextDouble() - 0.5) * scale;
            }
            for (boolean scientific : new boolean[] {false, true}) {
                int brute = 0;
                for (double v : d) brute = Math.max(brute, Printer.element(v, scientific).length());
                org.junit.jupiter.api.Assertions.assertEquals(brute, Printer.width(d, scientific), java.util.Arrays.toString(d));
            }
        }
    }
}
