package tn.draw;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of a circuit: wires left to right, one row per wire, gates placed on the wires they
 * act on in the order the wires meet them, as a quantum circuit is drawn. A network is a circuit
 * when every tensor is a gate or an end:
 * <ul>
 *   <li>a <em>gate</em> has 2k legs, its first k the outputs and its last k the inputs, output j
 *       continuing the wire of input j (a gate {@code U[qo, qi]}, {@code CNOT[qo1, qo2, qi1, qi2]},
 *       as stdlib/quantum.tn and stdlib/mps.tn write them);</li>
 *   <li>an <em>end</em> is a vector: a state a wire starts from, or one it ends on (a bra);</li>
 *   <li>every wire starts at an end or an open leg on an input, and runs through gates from input
 *       to output until it reaches an end or an open leg; there are at least two wires and two
 *       gates, one of them on several wires, and every gate acts on neighbouring wires (a gate
 *       between wires 0 and 2 would sit on wire 1: such circuits keep the general layouts).</li>
 * </ul>
 * Starts sit in the first column and ends in the last; a gate sits one column after the last gate
 * on any wire between its topmost and bottommost, at the middle of those rows. Anything else is
 * left to the other layouts.
 */
final class Circuit {
    static final double ROW_GAP = 64, COLUMN_GAP = 56;

    private Circuit() {}

    /** Positions (x, y) per node, in the order given, or null when the nodes are not a circuit. */
    static double[][] place(List<Model.Node> nodes, List<Model.Edge> modelEdges) {
        int n = nodes.size();
        if (n < 4) return null;
        Map<Model.Node, Integer> index = new HashMap<>();
        for (int k = 0; k < n; k++) {
            Model.Node node = nodes.get(k);
            if (node == null || node.kind != Model.Kind.TENSOR || node.stacked) return null;
            index.put(node, k);
        }
        // what each axis of each node is joined to: {node, axis}, {-1, 0} for an open leg, null for nothing
        int[][][] joined = new int[n][][];
        for (int k = 0; k < n; k++) joined[k] = new int[nodes.get(k).legs.size()][];
        for (Model.Edge e : modelEdges) {
            Integer a = index.get(e.a.node());
            if (e.b instanceof Model.OnNode o) {
                Integer b = index.get(o.node());
                if (a == null && b == null) continue;
                if (a == null || b == null || a.equals(b)) return null; // a line leaving the part, or a trace
                if (joined[a][e.a.axis()] != null || joined[b][o.axis()] != null) return null;
                joined[a][e.a.axis()] = new int[] {b, o.axis()};
                joined[b][o.axis()] = new int[] {a, e.a.axis()};
            } else if (a != null) {
                if (!(e.b instanceof Model.Free) || joined[a][e.a.axis()] != null) return null;
                joined[a][e.a.axis()] = new int[] {-1, 0};
            }
        }
        boolean[] gate = new boolean[n];
        int gates = 0;
        boolean wide = false;
        for (int k = 0; k < n; k++) {
            int legs = joined[k].length;
            for (int[] j : joined[k]) if (j == null) return null;
            if (legs >= 2 && legs % 2 == 0) {
                gate[k] = true;
                gates++;
                wide |= legs >= 4;
            } else if (legs != 1) {
                return null;
            }
        }
        if (gates < 2 || !wide) return null;
        // wires: from each start (an end on a gate's input, or an open input), through the gates
        List<int[]> starts = new ArrayList<>(); // {node or -1, gate, input axis}
        for (int k = 0; k < n; k++) {
            if (gate[k]) {
                int half = joined[k].length / 2;
                for (int p = half; p < joined[k].length; p++) if (joined[k][p][0] < 0) starts.add(new int[] {-1, k, p});
            } else {
                int[] to = joined[k][0];
                if (to[0] >= 0 && gate[to[0]] && to[1] >= joined[to[0]].length / 2) starts.add(new int[] {k, to[0], to[1]});
            }
        }
        starts.sort((x, y) -> Integer.compare(order(nodes, x), order(nodes, y)));
        int wires = starts.size();
        if (wires < 2) return null;
        int[][] inputWire = new int[n][]; // per gate: the wire on each of its inputs
        for (int k = 0; k < n; k++) if (gate[k]) Arrays.fill(inputWire[k] = new int[joined[k].length / 2], -1);
        int[] endWire = new int[n];
        Arrays.fill(endWire, -1);
        List<List<Integer>> path = new ArrayList<>();
        for (int w = 0; w < wires; w++) {
            int[] s = starts.get(w);
            if (s[0] >= 0) endWire[s[0]] = w;
            List<Integer> through = new ArrayList<>();
            int g = s[1], p = s[2];
            while (true) {
                int half = joined[g].length / 2;
                if (inputWire[g][p - half] >= 0 || through.size() > n) return null;
                inputWire[g][p - half] = w;
                through.add(g);
                int[] next = joined[g][p - half];
                if (next[0] < 0) break; // an open output
                if (!gate[next[0]]) {
                    if (endWire[next[0]] >= 0) return null;
                    endWire[next[0]] = w;
                    break;
                }
                if (next[1] < joined[next[0]].length / 2) return null; // into another gate's output: not a circuit
                g = next[0];
                p = next[1];
            }
            path.add(through);
        }
        for (int k = 0; k < n; k++) {
            if (gate[k]) {
                for (int w : inputWire[k]) if (w < 0) return null;
            } else if (endWire[k] < 0) {
                return null;
            }
        }
        // columns, gates in an order the wires allow (the earliest written first among those ready)
        int[] column = new int[n], position = new int[wires], last = new int[wires];
        int[] top = new int[n], bottom = new int[n];
        boolean[] placed = new boolean[n];
        for (int done = 0; done < gates; done++) {
            int pick = -1;
            for (int k = 0; k < n && pick < 0; k++) {
                if (!gate[k] || placed[k]) continue;
                boolean ready = true;
                for (int w : inputWire[k]) ready &= path.get(w).get(position[w]) == k;
                if (ready) pick = k;
            }
            if (pick < 0) return null; // the wires meet the gates in contradicting orders
            placed[pick] = true;
            top[pick] = Arrays.stream(inputWire[pick]).min().getAsInt();
            bottom[pick] = Arrays.stream(inputWire[pick]).max().getAsInt();
            // a gate on wires that are not neighbours would sit on the wires between them
            if (bottom[pick] - top[pick] + 1 != inputWire[pick].length) return null;
            int c = 0;
            for (int w = top[pick]; w <= bottom[pick]; w++) c = Math.max(c, last[w] + 1);
            column[pick] = c;
            for (int w = top[pick]; w <= bottom[pick]; w++) last[w] = c;
            for (int w : inputWire[pick]) position[w]++;
        }
        int columns = Arrays.stream(last).max().getAsInt() + 1;
        double width = 0, height = 0;
        for (Model.Node node : nodes) {
            width = Math.max(width, 2 * (node.hw + node.margin));
            height = Math.max(height, 2 * (node.hh + node.margin));
        }
        double dx = width + COLUMN_GAP, dy = height + ROW_GAP;
        double[][] out = new double[n][];
        for (int k = 0; k < n; k++) {
            if (gate[k]) {
                out[k] = new double[] {column[k] * dx, (top[k] + bottom[k]) / 2.0 * dy};
            } else {
                boolean start = false;
                for (int[] s : starts) start |= s[0] == k;
                out[k] = new double[] {start ? 0 : columns * dx, endWire[k] * dy};
            }
        }
        return out;
    }

    /** Where a start comes in the script: its end's, or else its gate's. */
    private static int order(List<Model.Node> nodes, int[] start) {
        return nodes.get(start[0] >= 0 ? start[0] : start[1]).index;
    }
}
