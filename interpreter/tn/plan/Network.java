package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor network as the planner sees it: for each input the ids of its legs, the ids of the
 * output legs, and the size of every leg id. No arrays, no names that matter: a plan can be made
 * from shapes alone (the opt_einsum way).
 *
 * <p>Leg ids run from 0 to {@code sizes.length - 1}. An input may repeat a leg (a diagonal or
 * trace of that input); a leg on three or more inputs is a hyperedge; a leg that is on inputs and
 * in the output is kept (a batch leg when it is on several inputs). Output legs are distinct and
 * each occurs on some input. {@code names} label the legs in reports and equations.
 */
public record Network(List<int[]> inputs, int[] output, long[] sizes, String[] names) {

    public Network {
        inputs = List.copyOf(inputs.stream().map(int[]::clone).toList());
        output = output.clone();
        sizes = sizes.clone();
        names = names.clone();
        if (names.length != sizes.length) {
            throw new IllegalArgumentException("names and sizes differ in length");
        }
        if (inputs.isEmpty()) throw new IllegalArgumentException("a network needs an input");
        boolean[] seen = new boolean[sizes.length];
        for (int[] in : inputs) for (int leg : in) seen[checkLeg(leg, sizes.length)] = true;
        boolean[] inOutput = new boolean[sizes.length];
        for (int leg : output) {
            checkLeg(leg, sizes.length);
            if (inOutput[leg]) throw new IllegalArgumentException("output repeats leg " + names[leg]);
            if (!seen[leg]) throw new IllegalArgumentException("output leg " + names[leg] + " is on no input");
            inOutput[leg] = true;
        }
    }

    private static int checkLeg(int leg, int legCount) {
        if (leg < 0 || leg >= legCount) throw new IllegalArgumentException("leg id " + leg + " out of range");
        return leg;
    }

    /** A network whose legs are named by their ids (l0, l1, ...). */
    public static Network of(List<int[]> inputs, int[] output, long[] sizes) {
        String[] names = new String[sizes.length];
        for (int i = 0; i < names.length; i++) names[i] = "l" + i;
        return new Network(inputs, output, sizes, names);
    }

    public int legCount() { return sizes.length; }

    public int inputCount() { return inputs.size(); }

    /** The einsum-style equation, legs written by name and separated by commas where needed. */
    public String equation() {
        boolean single = Arrays.stream(names).allMatch(n -> n.length() == 1);
        List<String> parts = new ArrayList<>();
        for (int[] in : inputs) parts.add(legString(in, single));
        return String.join(",", parts) + "->" + legString(output, single);
    }

    private String legString(int[] legs, boolean single) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < legs.length; k++) {
            if (k > 0 && !single) sb.append(' ');
            sb.append(names[legs[k]]);
        }
        return sb.toString();
    }
}
