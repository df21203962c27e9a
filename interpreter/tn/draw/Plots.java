package tn.draw;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Charts of numbers, drawn with the diagrams' painter (same SVG conventions, same PNG renderer):
 * a spectrum (values by index, linear or log scale), directions in a plane (arrows), and a heatmap with a diverging colour map
 * centred at 0 (blue negative, white 0, red positive) and a colour bar.
 */
public final class Plots {
    private Plots() {}

    private static final double W = 480, H = 280, LEFT = 64, TOP = 36;
    private static final String AXIS = "#333333", GRID = "#e4e4e4", GRID_DARK = "#9a9a9a", INK = "#1f4e9c";

    /** Values (e.g. singular values) against their index 1..n; in log scale values <= 0 are left out and counted in a note. */
    public static byte[] spectrum(double[] values, String title, String xLabel, String yLabel, boolean log, boolean png) {
        Scene s = new Scene(title);
        s.elements.add(text(LEFT + W / 2, 20, title, 14, "middle", "title"));
        int n = values.length;
        double lo, hi;
        int skipped = 0;
        if (log) {
            double min = Double.POSITIVE_INFINITY, max = 0;
            for (double v : values) {
                if (v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                } else {
                    skipped++;
                }
            }
            if (max == 0) {
                min = 0.1;
                max = 1;
            }
            lo = Math.pow(10, Math.floor(Math.log10(min)));
            hi = Math.pow(10, Math.ceil(Math.log10(max)));
            if (hi <= lo) hi = lo * 10;
        } else {
            double max = 0, min = 0;
            for (double v : values) {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
            double[] t = niceTicks(min, max == min ? min + 1 : max);
            lo = t[0];
            hi = t[t.length - 1];
        }
        final double flo = lo, fhi = hi;
        java.util.function.DoubleUnaryOperator y = v -> log
                ? TOP + H - H * (Math.log10(v) - Math.log10(flo)) / (Math.log10(fhi) - Math.log10(flo))
                : TOP + H - H * (v - flo) / (fhi - flo);
        java.util.function.IntToDoubleFunction x = k -> LEFT + (n == 1 ? W / 2 : W * k / (n - 1.0));
        // Grid and y ticks.
        Scene.Group axes = new Scene.Group("axes", "axes");
        List<Double> yTicks = new ArrayList<>();
        if (log) {
            for (double d = lo; d <= hi * 1.0001; d *= 10) yTicks.add(d);
        } else {
            for (double t : niceTicks(lo, hi)) yTicks.add(t);
        }
        for (double t : yTicks) {
            double yy = y.applyAsDouble(t);
            axes.add(line(LEFT, yy, LEFT + W, yy, GRID, 1));
            axes.add(text(LEFT - 6, yy + 4, tick(t), 10, "end", "tick"));
        }
        for (int k : indexTicks(n)) {
            double xx = x.applyAsDouble(k - 1);
            axes.add(line(xx, TOP + H, xx, TOP + H + 4, AXIS, 1));
            axes.add(text(xx, TOP + H + 16, Integer.toString(k), 10, "middle", "tick"));
        }
        axes.add(line(LEFT, TOP, LEFT, TOP + H, AXIS, 1));
        axes.add(line(LEFT, TOP + H, LEFT + W, TOP + H, AXIS, 1));
        axes.add(text(LEFT + W / 2, TOP + H + 34, xLabel, 11, "middle", "axis-label"));
        axes.add(new Scene.VerticalText(new Vec(LEFT - 44, TOP + H / 2 + TextMetrics.width(yLabel, 11) / 2), yLabel, 11, AXIS, "axis-label"));
        s.elements.add(axes);
        // The values: a line through them and a dot on each.
        Scene.Group data = new Scene.Group("values", "values");
        List<Scene.Seg> segs = new ArrayList<>();
        List<Scene.Element> dots = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (log && values[k] <= 0) continue;
            Vec p = new Vec(x.applyAsDouble(k), y.applyAsDouble(values[k]));
            segs.add(segs.isEmpty() ? Scene.Seg.move(p) : Scene.Seg.line(p));
            if (n <= 200) dots.add(new Scene.Circle(p, 2.5, "value", Scene.Style.fill(INK)));
        }
        if (segs.size() > 1) data.add(new Scene.Path(segs, "line", Scene.Style.stroke(INK, 1.5), new java.util.LinkedHashMap<>()));
        dots.forEach(data::add);
        s.elements.add(data);
        if (skipped > 0) {
            s.elements.add(text(LEFT + W, TOP - 6, skipped + (skipped == 1 ? " value" : " values") + " <= 0 not shown", 10, "end", "note"));
        }
        return out(s, png);
    }

    /**
     * Directions in a plane: column k of a 2 x n matrix, (x[k], y[k]), as an arrow from the origin
     * with its label at the tip; equal scales on both axes (angles and lengths read true), the unit
     * circle dashed for reference, the range the larger of 1 and the longest arrow.
     */
    public static byte[] directions(double[] x, double[] y, List<String> labels, String title, String xLabel, String yLabel, boolean png) {
        double side = H, left = LEFT + (W - side) / 2, cx = left + side / 2, cy = TOP + side / 2;
        double longest = 1;
        for (int k = 0; k < x.length; k++) longest = Math.max(longest, Math.hypot(x[k], y[k]));
        double[] ticks = niceTicks(-longest, longest);
        double range = Math.max(-ticks[0], ticks[ticks.length - 1]), scale = side / 2 / range;
        Scene s = new Scene(title);
        s.elements.add(text(LEFT + W / 2, 20, title, 14, "middle", "title"));
        Scene.Group axes = new Scene.Group("axes", "axes");
        for (double t : ticks) {
            if (Math.abs(t) > range * 1.0001) continue;
            double px = cx + t * scale, py = cy - t * scale;
            axes.add(line(px, TOP, px, TOP + side, GRID, 1));
            axes.add(line(left, py, left + side, py, GRID, 1));
            axes.add(text(px, TOP + side + 16, tick(t), 10, "middle", "tick"));
            axes.add(text(left - 6, py + 4, tick(t), 10, "end", "tick"));
        }
        axes.add(line(left, cy, left + side, cy, AXIS, 1));
        axes.add(line(cx, TOP, cx, TOP + side, AXIS, 1));
        // The unit circle, as a polygon of 96 sides.
        List<Scene.Seg> circle = new ArrayList<>();
        for (int k = 0; k <= 96; k++) {
            Vec p = new Vec(cx + scale * Math.cos(2 * Math.PI * k / 96), cy - scale * Math.sin(2 * Math.PI * k / 96));
            circle.add(k == 0 ? Scene.Seg.move(p) : Scene.Seg.line(p));
        }
        axes.add(new Scene.Path(circle, "unit-circle", Scene.Style.stroke(GRID_DARK, 1), new java.util.LinkedHashMap<>()));
        axes.add(text(left + side / 2, TOP + side + 34, xLabel, 11, "middle", "axis-label"));
        axes.add(new Scene.VerticalText(new Vec(left - 44, TOP + side / 2 + TextMetrics.width(yLabel, 11) / 2), yLabel, 11, AXIS, "axis-label"));
        s.elements.add(axes);
        Scene.Group data = new Scene.Group("directions", "directions");
        for (int k = 0; k < x.length; k++) {
            Vec tip = new Vec(cx + x[k] * scale, cy - y[k] * scale);
            java.util.Map<String, String> attrs = new java.util.LinkedHashMap<>();
            attrs.put("x", number(x[k]));
            attrs.put("y", number(y[k]));
            List<Scene.Seg> arrow = new ArrayList<>(List.of(Scene.Seg.move(new Vec(cx, cy)), Scene.Seg.line(tip)));
            double len = Math.hypot(tip.x() - cx, tip.y() - cy);
            if (len > 8) { // an arrowhead: two strokes back from the tip at 25 degrees
                double ux = (tip.x() - cx) / len, uy = (tip.y() - cy) / len, c = Math.cos(0.44), sn = Math.sin(0.44);
                arrow.add(Scene.Seg.move(new Vec(tip.x() - 8 * (ux * c - uy * sn), tip.y() - 8 * (uy * c + ux * sn))));
                arrow.add(Scene.Seg.line(tip));
                arrow.add(Scene.Seg.line(new Vec(tip.x() - 8 * (ux * c + uy * sn), tip.y() - 8 * (uy * c - ux * sn))));
            }
            data.add(new Scene.Path(arrow, "direction", Scene.Style.stroke(INK, 1.5), attrs));
            double lx = len > 0 ? (tip.x() - cx) / len : 0, ly = len > 0 ? (tip.y() - cy) / len : -1;
            data.add(text(tip.x() + 10 * lx, tip.y() + 10 * ly + 4, labels.get(k), 11, lx < -0.3 ? "end" : lx > 0.3 ? "start" : "middle", "label"));
        }
        s.elements.add(data);
        return out(s, png);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A heatmap of the matrix; labels may be null (then indices are shown where they fit). */
    public static byte[] heatmap(double[] data, int rows, int cols, List<String> rowLabels, List<String> colLabels,
            String title, String rowAxis, String colAxis, boolean png) {
        double cell = Math.max(2, Math.min(28, Math.floor(Math.min(520.0 / cols, 520.0 / rows))));
        double max = 0;
        for (double v : data) if (Double.isFinite(v)) max = Math.max(max, Math.abs(v));
        if (max == 0) max = 1;
        Scene s = new Scene(title);
        boolean rowText = cell >= 9, colText = cell >= 9;
        double labelSize = Math.min(11, cell * 0.8);
        double rowLabelWidth = 0, colLabelHeight = 0;
        List<String> rl = labels(rowLabels, rows), cl = labels(colLabels, cols);
        if (rowText) for (String l : rl) rowLabelWidth = Math.max(rowLabelWidth, TextMetrics.width(l, labelSize));
        if (colText) for (String l : cl) colLabelHeight = Math.max(colLabelHeight, TextMetrics.width(l, labelSize));
        double x0 = 30 + rowLabelWidth + 6, y0 = 40 + colLabelHeight + 6;
        s.elements.add(text(x0 + cols * cell / 2, 20, title, 14, "middle", "title"));
        Scene.Group cells = new Scene.Group("cells", "cells");
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = data[i * cols + j];
                cells.add(new Scene.Rect(new Box(x0 + j * cell, y0 + i * cell, x0 + (j + 1) * cell, y0 + (i + 1) * cell), 0, null,
                        Scene.Style.fill(Double.isFinite(v) ? colour(v / max) : "#999999")));
            }
        }
        s.elements.add(cells);
        Scene.Group labels = new Scene.Group("labels", "labels");
        if (rowText) {
            for (int i = 0; i < rows; i++) labels.add(text(x0 - 4, y0 + (i + 0.5) * cell + labelSize * 0.35, rl.get(i), labelSize, "end", "row-label"));
        }
        if (colText) {
            for (int j = 0; j < cols; j++) {
                labels.add(new Scene.VerticalText(new Vec(x0 + (j + 0.5) * cell + labelSize * 0.35, y0 - 4), cl.get(j), labelSize, AXIS, "col-label"));
            }
        }
        labels.add(new Scene.VerticalText(new Vec(16, y0 + rows * cell / 2 + TextMetrics.width(rowAxis, 11) / 2), rowAxis, 11, AXIS, "axis-label"));
        labels.add(text(x0 + cols * cell / 2, y0 + rows * cell + 18, colAxis, 11, "middle", "axis-label"));
        s.elements.add(labels);
        // Colour bar: -max .. 0 .. +max.
        Scene.Group bar = new Scene.Group("colour-bar", "colour-bar");
        double bx = x0 + cols * cell + 24, bh = Math.max(120, Math.min(240, rows * cell)), steps = 48;
        for (int k = 0; k < steps; k++) {
            double v = 1 - 2 * (k + 0.5) / steps;
            bar.add(new Scene.Rect(new Box(bx, y0 + k * bh / steps, bx + 14, y0 + (k + 1) * bh / steps), 0, null, Scene.Style.fill(colour(v))));
        }
        bar.add(new Scene.Rect(new Box(bx, y0, bx + 14, y0 + bh), 0, "outline", Scene.Style.stroke(AXIS, 0.8)));
        bar.add(text(bx + 18, y0 + 4, tick(max), 10, "start", "tick"));
        bar.add(text(bx + 18, y0 + bh / 2 + 4, "0", 10, "start", "tick"));
        bar.add(text(bx + 18, y0 + bh + 4, tick(-max), 10, "start", "tick"));
        s.elements.add(bar);
        return out(s, png);
    }

    private static List<String> labels(List<String> given, int n) {
        if (given != null) return given;
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(Integer.toString(i));
        return l;
    }

    /** Blue (-1) to white (0) to red (+1). */
    static String colour(double t) {
        t = Math.max(-1, Math.min(1, t));
        int[] end = t < 0 ? new int[] {33, 102, 172} : new int[] {178, 24, 43};
        double a = Math.abs(t);
        int r = (int) Math.round(255 + (end[0] - 255) * a), g = (int) Math.round(255 + (end[1] - 255) * a), b = (int) Math.round(255 + (end[2] - 255) * a);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    /** Ticks at 1, 2 or 5 times a power of ten, covering [lo, hi]. */
    static double[] niceTicks(double lo, double hi) {
        double span = hi - lo, raw = span / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        double start = Math.floor(lo / step) * step, end = Math.ceil(hi / step) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[n];
        for (int k = 0; k < n; k++) t[k] = start + k * step;
        return t;
    }

    private static List<Integer> indexTicks(int n) {
        List<Integer> t = new ArrayList<>();
        if (n <= 0) return t;
        double[] nice = niceTicks(1, Math.max(2, n));
        double step = Math.max(1, Math.round(nice.length > 1 ? nice[1] - nice[0] : 1));
        t.add(1);
        for (long k = (long) step; k <= n; k += (long) step) if (k != 1) t.add((int) k);
        return t;
    }

    static String tick(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) return String.format(Locale.ROOT, "%.0e", v).replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    private static Scene.Text text(double x, double y, String s, double size, String anchor, String cls) {
        return new Scene.Text(new Vec(x, y), s, size, anchor, false, AXIS, cls);
    }

    private static Scene.Path line(double x1, double y1, double x2, double y2, String colour, double width) {
        return new Scene.Path(List.of(Scene.Seg.move(new Vec(x1, y1)), Scene.Seg.line(new Vec(x2, y2))), null,
                Scene.Style.stroke(colour, width), new java.util.LinkedHashMap<>());
    }

    private static byte[] out(Scene s, boolean png) {
        return png ? PngRenderer.png(s) : SvgWriter.write(s).getBytes(StandardCharsets.UTF_8);
    }
}
