package tn.draw;

import java.util.ArrayList;
import java.util.List;

/**
 * What a diagram shows, before layout: nodes (tensors, copy dots, ...) inside nested scopes (the
 * network itself and its bubbles), and the legs between them. Built from a {@code Net} by
 * {@link ModelBuilder}; positions are filled in by {@link Layout}, outlines by {@link Router}.
 */
final class Model {
    enum Kind {
        /** A dense tensor (a leaf of the network). */
        TENSOR,
        /** A copy tensor or the meeting point of a hyperedge; drawn inside its leg's group. */
        HUB,
        /** Where an identity's free ends meet (nothing drawn). */
        JOINT,
        /** A traced identity: a closed loop. */
        LOOP,
        /** A sum used as a factor. */
        SUM,
        /** Legs grouped or split. */
        FUSE,
        /** The middle sites of a long chain, left out (draw(..., ellipsis=k)): three dots. */
        ELLIPSIS
    }

    static final class Node {
        /** The node's place in {@link Model#nodes} (renumbered when an ellipsis leaves sites out). */
        int index;
        final Kind kind;
        final String name;
        final String kindText;
        Shape shape;
        final Scope scope;
        /** The node's legs in axis order (for a triangle's tip) and their sizes. */
        final List<String> legs = new ArrayList<>();
        final List<Long> sizes = new ArrayList<>();
        String id;
        /** Half extents of the glyph, for layout (a triangle is laid out as its bounding circle). */
        double hw, hh;
        /** Position (local to the scope during layout, absolute afterwards). */
        double x, y;
        /** A triangle's tip direction (radians), chosen after layout. */
        double tipAngle;
        /** Extra room around the node that its caps and loops need. */
        double margin;
        /** Drawn as stacked copies of itself: it carries the leg heads="stacked" draws that way. */
        boolean stacked;
        /** A sum used as a factor: the sum, drawn as its terms inside the node's box. */
        tn.net.Net.Sum sum;
        /** The box its terms need (centred on the origin), when drawn inside. */
        Box inner;
        /** An ellipsis: how many sites it stands for, and whether it writes that under its dots (one row of a chain does). */
        int sites;
        boolean countShown;

        Node(int index, Kind kind, String name, String kindText, Shape shape, Scope scope) {
            this.index = index;
            this.kind = kind;
            this.name = name;
            this.kindText = kindText;
            this.shape = shape;
            this.scope = scope;
        }

        Vec at() { return new Vec(x, y); }

        boolean isTensorGlyph() {
            return kind == Kind.TENSOR || kind == Kind.SUM || kind == Kind.FUSE || kind == Kind.LOOP;
        }

        @Override
        public String toString() { return (name != null ? name : kind.toString()) + "#" + index; }
    }

    /** One end of an edge: on a node (at one of its legs), free, or capped. */
    sealed interface End permits OnNode, Free, Cap {}

    record OnNode(Node node, int axis) implements End {}

    /** An open leg of the drawn network, labelled at its end; {@code order} is its output position. */
    record Free(String label, int order) implements End {}

    /** A leg summed alone (ONES: the all-ones vector, a small dot) or reduced by its bubble (a bar). */
    record Cap(boolean reduced, String label) implements End {}

    /** A line of the drawing: from a node to a node, to a free end or to a cap. */
    static final class Edge {
        final OnNode a;
        final End b;
        final String name;
        final long size;
        /** The leg group this line belongs to (a hyperedge's lines share one). */
        final Wire wire;
        Scene.Path path;

        Edge(OnNode a, End b, String name, long size, Wire wire) {
            this.a = a;
            this.b = b;
            this.name = name;
            this.size = size;
            this.wire = wire;
        }

        Node other() { return b instanceof OnNode o ? o.node() : null; }

        boolean isLoop() { return b instanceof OnNode o && o.node() == a.node(); }
    }

    /** A leg as the reader sees it: one name, one or more lines, maybe a hub dot. */
    static final class Wire {
        final String name;
        final long size;
        final int depth;
        final List<Edge> edges = new ArrayList<>();
        /** Its dots (hyperedges, copy tensors) and identity joints, drawn in the leg's group. */
        final List<Node> hubs = new ArrayList<>();
        String id;

        Wire(String name, long size, int depth) {
            this.name = name;
            this.size = size;
            this.depth = depth;
        }
    }

    /** The network's top level or a bubble, with what it holds directly. */
    static final class Scope {
        final Scope parent;
        final String function;
        final String label;
        final int depth;
        final List<Node> nodes = new ArrayList<>();
        final List<Scope> children = new ArrayList<>();
        double coefficient = 1;
        /** The coefficient as the script wrote it (see {@link WrittenScalar}), or null: then its value is shown. */
        String written;
        /** How many products with a factor other than 1 gave the coefficient (a text only when one did). */
        int factors;
        String id;
        /** Position of the scope's origin in its parent (layout), and its final outline. */
        double x, y;
        double hw, hh;
        /** The room the layout gave the bubble (absolute), and its drawn outline. */
        Box area;
        Box outline;
        Scene.Text labelText;

        Scope(Scope parent, String function, String label) {
            this.parent = parent;
            this.function = function;
            this.label = label;
            this.depth = parent == null ? 0 : parent.depth + 1;
            if (parent != null) parent.children.add(this);
        }

        boolean isBubble() { return parent != null; }

        /** True when this scope is {@code s} or inside it. */
        boolean within(Scope s) {
            for (Scope t = this; t != null; t = t.parent) if (t == s) return true;
            return false;
        }

        List<Node> allNodes() {
            List<Node> out = new ArrayList<>(nodes);
            for (Scope c : children) out.addAll(c.allNodes());
            return out;
        }
    }

    final Scope root;
    final List<Node> nodes = new ArrayList<>();
    final List<Wire> wires = new ArrayList<>();
    final List<Edge> edges = new ArrayList<>();
    /**
     * Where an abbreviated chain's nodes go, {row, column} per node ({@link Ellipsis}); null: the
     * layout chooses as usual.
     */
    java.util.Map<Node, int[]> grid;

    Model() {
        root = new Scope(null, null, null);
    }

    List<Scope> scopes() {
        List<Scope> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Scope s, List<Scope> out) {
        out.add(s);
        for (Scope c : s.children) collect(c, out);
    }
}
