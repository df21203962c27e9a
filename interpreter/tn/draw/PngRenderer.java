package tn.draw;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Paints a {@link Scene} on a Java2D {@code Graphics2D} backed by a {@link BufferedImage}: the PNG
 * version of a diagram, from the same display list as its SVG (no SVG parser involved). Text uses
 * the DejaVu Sans font when the machine has it (Java's default sans-serif otherwise).
 */
public final class PngRenderer {
    private PngRenderer() {}

    /** The most pixels an image gets (128 MB as RGB ints): a diagram 10 times the size of a big one. */
    static final double MAX_PIXELS = 1 << 25;
    /** The longest side an image gets, in pixels. */
    static final double MAX_SIDE = 1 << 15;

    /**
     * The image at {@code scale} pixels per SVG unit, on white; at a smaller scale when that would
     * exceed {@link #MAX_PIXELS} or {@link #MAX_SIDE} (a diagram with a label thousands of
     * characters long), so that the pixel array can always be allocated. Sizes are computed in
     * floating point: w * h overflows an int long before a label is absurd.
     */
    public static BufferedImage render(Scene scene, double scale) {
        Box b = scene.bounds();
        if (b.isEmpty()) b = new Box(0, 0, 1, 1);
        b = b.grow(SvgWriter.MARGIN);
        double x = Math.floor(b.x0()), y = Math.floor(b.y0());
        double width = finiteOr(Math.ceil(b.x1()) - x, 1), height = finiteOr(Math.ceil(b.y1()) - y, 1);
        scale = fittingScale(width, height, scale);
        int w = (int) Math.max(1, Math.min(MAX_SIDE, Math.ceil(width * scale)));
        int h = (int) Math.max(1, Math.min(MAX_SIDE, Math.ceil(height * scale)));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.scale(scale, scale);
            g.translate(-x, -y);
            for (Scene.Element e : scene.elements) paint(g, e);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The largest scale up to {@code scale} at which a width x height diagram fits the limits. */
    static double fittingScale(double width, double height, double scale) {
        double s = scale;
        if (width * height * s * s > MAX_PIXELS) s = Math.sqrt(MAX_PIXELS / (width * height));
        if (width * s > MAX_SIDE) s = MAX_SIDE / width;
        if (height * s > MAX_SIDE) s = MAX_SIDE / height;
        return s;
    }

    private static double finiteOr(double v, double otherwise) {
        return Double.isFinite(v) && v > 0 ? v : otherwise;
    }

    /** The PNG file's bytes (2 pixels per SVG unit, less for a diagram too large for that). */
    public static byte[] png(Scene scene) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(render(scene, 2), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void paint(Graphics2D g, Scene.Element e) {
        if (e instanceof Scene.Group grp) {
            for (Scene.Element c : grp.children()) paint(g, c);
        } else if (e instanceof Scene.Circle c) {
            shape(g, new Ellipse2D.Double(c.centre().x() - c.r(), c.centre().y() - c.r(), 2 * c.r(), 2 * c.r()), c.style());
        } else if (e instanceof Scene.Rect r) {
            Box b = r.box();
            shape(g, new RoundRectangle2D.Double(b.x0(), b.y0(), b.width(), b.height(), 2 * r.rx(), 2 * r.rx()), r.style());
        } else if (e instanceof Scene.Polygon p) {
            Path2D.Double path = new Path2D.Double();
            for (int k = 0; k < p.points().size(); k++) {
                Vec v = p.points().get(k);
                if (k == 0) path.moveTo(v.x(), v.y());
                else path.lineTo(v.x(), v.y());
            }
            path.closePath();
            shape(g, path, p.style());
        } else if (e instanceof Scene.Path p) {
            Path2D.Double path = new Path2D.Double();
            for (Scene.Seg s : p.segments()) {
                switch (s.op()) {
                    case 'M' -> path.moveTo(s.p3().x(), s.p3().y());
                    case 'L' -> path.lineTo(s.p3().x(), s.p3().y());
                    default -> path.curveTo(s.p1().x(), s.p1().y(), s.p2().x(), s.p2().y(), s.p3().x(), s.p3().y());
                }
            }
            shape(g, path, p.style());
        } else if (e instanceof Scene.VerticalText v) {
            g.setFont(new Font("DejaVu Sans", Font.PLAIN, 1).deriveFont((float) v.size()));
            g.setColor(colour(v.fill()));
            java.awt.geom.AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2, v.at().x(), v.at().y());
            g.drawString(v.text(), (float) v.at().x(), (float) v.at().y());
            g.setTransform(saved);
        } else {
            Scene.Text t = (Scene.Text) e;
            Font f = new Font("DejaVu Sans", t.italic() ? Font.ITALIC : Font.PLAIN, 1).deriveFont((float) t.size());
            g.setFont(f);
            g.setColor(colour(t.fill()));
            double w = g.getFontMetrics().getStringBounds(t.text(), g).getWidth();
            double x = switch (t.anchor()) {
                case "middle" -> t.at().x() - w / 2;
                case "end" -> t.at().x() - w;
                default -> t.at().x();
            };
            g.drawString(t.text(), (float) x, (float) t.at().y());
        }
    }

    private static void shape(Graphics2D g, java.awt.Shape s, Scene.Style style) {
        if (style.fill() != null) {
            g.setColor(colour(style.fill()));
            g.fill(s);
        }
        if (style.stroke() != null) {
            g.setColor(colour(style.stroke()));
            g.setStroke(new BasicStroke((float) style.strokeWidth(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(s);
        }
    }

    private static Color colour(String hex) {
        return new Color(Integer.parseInt(hex.substring(1), 16));
    }
}
