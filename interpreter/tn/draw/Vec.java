package tn.draw;

/** A point or direction in the plane (SVG coordinates: y grows downwards). */
record Vec(double x, double y) {
    static final Vec ZERO = new Vec(0, 0);

    static Vec polar(double angle, double length) {
        return new Vec(Math.cos(angle) * length, Math.sin(angle) * length);
    }

    Vec plus(Vec o) { return new Vec(x + o.x, y + o.y); }

    Vec minus(Vec o) { return new Vec(x - o.x, y - o.y); }

    Vec times(double s) { return new Vec(x * s, y * s); }

    double dot(Vec o) { return x * o.x + y * o.y; }

    double cross(Vec o) { return x * o.y - y * o.x; }

    double length() { return Math.hypot(x, y); }

    double distance(Vec o) { return Math.hypot(x - o.x, y - o.y); }

    double angle() { return Math.atan2(y, x); }

    Vec unit() {
        double l = length();
        return l < 1e-12 ? new Vec(1, 0) : new Vec(x / l, y / l);
    }

    /** Rotated by +90 degrees (clockwise on screen). */
    Vec normal() { return new Vec(-y, x); }

    static Vec lerp(Vec a, Vec b, double t) {
        return new Vec(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
    }
}
