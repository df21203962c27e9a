package tn.draw;

/**
 * Text widths for layout, from a fixed table (DejaVu Sans advance widths, in thousandths of the
 * font size) rather than from the fonts installed on the machine, so that a diagram's SVG is the
 * same bytes everywhere. The SVG names DejaVu Sans first; other sans-serif fonts are close enough
 * for the margins the layout keeps.
 */
public final class TextMetrics {
    private TextMetrics() {}

    /** Advance widths of the characters 32 to 126. */
    private static final int[] WIDTHS = {
        318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
        636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
        1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
        603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
        500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
        635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838};

    /** The font families the SVG asks for, best first. */
    public static final String FONT_FAMILY = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";

    /** The width of {@code text} at {@code size} pixels. */
    public static double width(String text, double size) {
        double w = 0;
        for (int k = 0; k < text.length(); ) {
            int c = text.codePointAt(k);
            k += Character.charCount(c);
            if (c >= 32 && c <= 126) w += WIDTHS[c - 32];
            else if (c == 0x2212 || c == 0x00D7) w += 838; // minus sign, times
            else w += Character.isIdeographic(c) ? 1000 : 640;
        }
        return w * size / 1000.0;
    }

    /** The height of a line of text (ascent + descent) at {@code size} pixels. */
    public static double height(double size) {
        return size * 1.165;
    }

    /** How far below the vertical centre of a line its baseline lies. */
    public static double baselineOffset(double size) {
        return size * 0.3465;
    }
}
