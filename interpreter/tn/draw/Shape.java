package tn.draw;

/** The glyph a node of a diagram is drawn as (see docs/notation.md). */
public enum Shape {
    /** A tensor: a circle with its name inside (a pill when the name is long). */
    CIRCLE,
    /** An isometry: a triangle whose tip points to its smallest leg. */
    TRIANGLE,
    /** An orthogonal or unitary tensor: a square. */
    SQUARE,
    /** A copy tensor (delta) or the meeting point of a hyperedge: a small filled dot. */
    DOT,
    /** A sum used inside a network: a rounded box holding its name or formula. */
    BOX,
    /** Legs grouped or split: a thin filled bar the legs pass through. */
    BAR,
    /** The closed loop of a traced identity. */
    RING,
    /** The sites an abbreviated chain leaves out: three dots, with how many sites they stand for. */
    ELLIPSIS,
    /** Nothing drawn: the point where an identity's two free ends meet (a plain line). */
    NONE
}
