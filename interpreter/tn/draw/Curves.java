package tn.draw;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of the diagram's lines: cubic Bezier curves (points, pieces), where a curve leaves a
 * glyph's outline and where a bent line starts inside a large glyph, and polylines against boxes
 * and each other. Pure functions; {@link Router} decides which lines to draw.
 */
final class Curves {
    private Curves() {}

    // ---- leaving a glyph -------------------------------------------------------------------------

    /** How far inside its outline a bent line starts at most. */
    static final double BEND_DEPTH = 24;

    /** Where a bent line towards {@code angle} starts: the centre of a small glyph, else BEND_DEPTH inside the outline. */
    static Vec bendFrom(Model.Node n, double angle) {
        Vec edge = Glyphs.boundary(n, angle);
        double r = edge.distance(n.at());
        return r <= BEND_DEPTH ? n.at() : n.at().plus(Vec.polar(angle, r - BEND_DEPTH));
    }

    /** Where the curve leaves node n's outline (from the start, or from the end). */
    static double exit(Vec[] c, Model.Node n, boolean fromStart) {
        double lo = fromStart ? 0 : 1, hi = 0.5;
        if (n.hw < 1) return lo;
        if (Glyphs.inside(n, bezier(c, hi))) {
            // a large glyph (a sum's box) holds the curve's middle too: it leaves the glyph further on
            lo = hi;
            hi = fromStart ? 1 : 0;
            for (int k = 1; k <= 32; k++) {
                double t = 0.5 + (fromStart ? k : -k) / 64.0;
                if (!Glyphs.inside(n, bezier(c, t))) {
                    hi = t;
                    break;
                }
                lo = t;
            }
        }
        for (int k = 0; k < 40; k++) {
            double mid = (lo + hi) / 2;
            if (Glyphs.inside(n, bezier(c, mid))) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    static Vec bezier(Vec[] c, double t) {
        double u = 1 - t;
        return c[0].times(u * u * u).plus(c[1].times(3 * u * u * t)).plus(c[2].times(3 * u * t * t)).plus(c[3].times(t * t * t));
    }

    /** The part of a cubic between t0 and t1, as a cubic. */
    static Vec[] subCurve(Vec[] c, double t0, double t1) {
        Vec[] right = split(c, t0)[1];
        double t = t0 >= 1 ? 1 : (t1 - t0) / (1 - t0);
        return split(right, t)[0];
    }

    private static Vec[][] split(Vec[] c, double t) {
        Vec p01 = Vec.lerp(c[0], c[1], t), p12 = Vec.lerp(c[1], c[2], t), p23 = Vec.lerp(c[2], c[3], t);
        Vec p012 = Vec.lerp(p01, p12, t), p123 = Vec.lerp(p12, p23, t);
        Vec p = Vec.lerp(p012, p123, t);
        return new Vec[][] {{c[0], p01, p012, p}, {p, p123, p23, c[3]}};
    }

    // ---- polylines and boxes ---------------------------------------------------------------------

    static List<Vec> sample(Scene.Path p) {
        List<Vec> out = new ArrayList<>();
        Vec cur = null;
        for (Scene.Seg s : p.segments()) {
            if (s.op() == 'C') {
                Vec[] c = {cur, s.p1(), s.p2(), s.p3()};
                for (int k = 1; k <= 16; k++) out.add(bezier(c, k / 16.0));
            } else {
                out.add(s.p3());
            }
            cur = s.p3();
        }
        return out;
    }

    /** The point at fraction t of the polyline's length. */
    static Vec pointAt(List<Vec> pts, double t) {
        double[] at = locate(pts, t);
        if (at == null) return pts.get(pts.size() - 1);
        int i = (int) at[0];
        return Vec.lerp(pts.get(i), pts.get(i + 1), at[1]);
    }

    /** The direction of the polyline at fraction t of its length. */
    static Vec tangentAt(List<Vec> pts, double t) {
        double[] at = locate(pts, t);
        if (at == null) return pts.get(pts.size() - 1).minus(pts.get(0)).unit();
        int i = (int) at[0];
        return pts.get(i + 1).minus(pts.get(i)).unit();
    }

    /**
     * Where fraction t of the polyline's length falls: {segment i, fraction along it}, the first
     * segment of non-zero length that reaches it; null when none does.
     */
    private static double[] locate(List<Vec> pts, double t) {
        double total = 0;
        for (int i = 0; i + 1 < pts.size(); i++) total += pts.get(i).distance(pts.get(i + 1));
        double target = total * t, acc = 0;
        for (int i = 0; i + 1 < pts.size(); i++) {
            double l = pts.get(i).distance(pts.get(i + 1));
            if (acc + l >= target && l > 0) return new double[] {i, (target - acc) / l};
            acc += l;
        }
        return null;
    }

    static boolean segmentHitsBox(Vec p, Vec q, Box b) {
        if (b.contains(p) || b.contains(q)) return true;
        Vec[] c = {new Vec(b.x0(), b.y0()), new Vec(b.x1(), b.y0()), new Vec(b.x1(), b.y1()), new Vec(b.x0(), b.y1())};
        for (int i = 0; i < 4; i++) if (segmentsCross(p, q, c[i], c[(i + 1) % 4])) return true;
        return false;
    }

    static boolean segmentsCross(Vec p, Vec q, Vec r, Vec s) {
        double d1 = q.minus(p).cross(r.minus(p)), d2 = q.minus(p).cross(s.minus(p));
        double d3 = s.minus(r).cross(p.minus(r)), d4 = s.minus(r).cross(q.minus(r));
        return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0)) && d1 != 0 && d2 != 0 && d3 != 0 && d4 != 0;
    }
}
