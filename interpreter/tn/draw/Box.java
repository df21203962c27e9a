package tn.draw;

/** An axis-aligned rectangle. */
record Box(double x0, double y0, double x1, double y1) {
    static final Box EMPTY = new Box(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);

    static Box around(Vec c, double hw, double hh) {
        return new Box(c.x() - hw, c.y() - hh, c.x() + hw, c.y() + hh);
    }

    boolean isEmpty() { return x0 > x1; }

    double width() { return x1 - x0; }

    double height() { return y1 - y0; }

    Vec centre() { return new Vec((x0 + x1) / 2, (y0 + y1) / 2); }

    Box union(Box o) {
        if (isEmpty()) return o;
        if (o.isEmpty()) return this;
        return new Box(Math.min(x0, o.x0), Math.min(y0, o.y0), Math.max(x1, o.x1), Math.max(y1, o.y1));
    }

    Box include(Vec p) {
        return union(new Box(p.x(), p.y(), p.x(), p.y()));
    }

    Box grow(double d) {
        return new Box(x0 - d, y0 - d, x1 + d, y1 + d);
    }

    Box translate(double dx, double dy) {
        return new Box(x0 + dx, y0 + dy, x1 + dx, y1 + dy);
    }

    boolean intersects(Box o) {
        return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
    }

    boolean contains(Vec p) {
        return p.x() >= x0 && p.x() <= x1 && p.y() >= y0 && p.y() <= y1;
    }

    boolean contains(Box o) {
        return o.x0 >= x0 && o.x1 <= x1 && o.y0 >= y0 && o.y1 <= y1;
    }

    /** How far from p along d until the ray leaves this box (0 when p is already past the side it meets). */
    double exitDistance(Vec p, Vec d) {
        double t = Double.POSITIVE_INFINITY;
        if (d.x() > 1e-9) t = Math.min(t, (x1 - p.x()) / d.x());
        if (d.x() < -1e-9) t = Math.min(t, (x0 - p.x()) / d.x());
        if (d.y() > 1e-9) t = Math.min(t, (y1 - p.y()) / d.y());
        if (d.y() < -1e-9) t = Math.min(t, (y0 - p.y()) / d.y());
        return Double.isInfinite(t) ? 0 : Math.max(0, t);
    }
}
