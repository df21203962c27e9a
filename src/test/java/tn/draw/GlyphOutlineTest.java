package tn.draw;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Point2D;
import java.awt.geom.RoundRectangle2D;
import org.junit.jupiter.api.Test;

/**
 * Lines start where the glyph is drawn: the outline the router trims lines to
 * ({@link Glyphs#boundary}) is the outline the SVG draws, also at a rounded corner (a line from a
 * wide sum's box to a tensor beside its corner, as prev_score in examples/induction_training.tn).
 */
class GlyphOutlineTest {
    @Test
    void aLineLeavesABoxOnItsDrawnRoundedCorner() {
        Model.Node n = new Model.Node(0, Model.Kind.SUM, null, null, Shape.BOX, null);
        n.hw = 300;
        n.hh = 60;
        Scene.Rect drawn = (Scene.Rect) Glyphs.draw(n).get(0);
        Box b = drawn.box();
        RoundRectangle2D outline = new RoundRectangle2D.Double(b.x0(), b.y0(), b.x1() - b.x0(), b.y1() - b.y0(), 2 * drawn.rx(), 2 * drawn.rx());
        // towards just beside the corner (the ray through the corner itself meets the rounding)
        for (double dx = -2; dx <= 2; dx += 0.25) {
            double angle = Math.atan2(60, 300 + dx);
            Vec p = Glyphs.boundary(n, angle);
            double off = Svg.distanceToOutline(outline, new Point2D.Double(p.x(), p.y()));
            assertTrue(off < 0.1, "at " + angle + " the line starts " + off + " off the drawn outline");
        }
    }
}
