package tn.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The narrowest cut of a product network between two sets of its open legs: a split of its
 * factors into a left group (every factor with a left leg) and a right group (every factor with a
 * right leg) joined by the fewest entries of shared legs. A matrix that is a product through a
 * small middle (W_E W_Q W_K^T W_E^T: vocab x vocab through d_head) is then factorised through that
 * middle, never formed.
 */
public final class Cut {
    /** The two sides as networks: left [left legs.., bond legs..], right [right legs.., bond legs..]. */
    public record Sides(Net left, Net right, List<String> bond, long bondSize) {}

    private Cut() {}

    /** Searches every split of up to this many factors. */
    static final int MAX_FACTORS = 16;

    /** The narrowest cut, or null when there is none narrower than {@code below} (or the net is not a product). */
    public static Sides narrowest(Net net, List<String> left, List<String> right, long below) {
        if (!(net instanceof Net.Product p) || p.factors().size() < 2 || p.factors().size() > MAX_FACTORS) return null;
        List<Net> fs = p.factors();
        int n = fs.size();
        Set<String> out = new HashSet<>(p.legs());
        int mustLeft = 0, mustRight = 0;
        for (int k = 0; k < n; k++) {
            for (String leg : fs.get(k).legs()) {
                if (left.contains(leg)) mustLeft |= 1 << k;
                if (right.contains(leg)) mustRight |= 1 << k;
            }
        }
        if ((mustLeft & mustRight) != 0) return null;
        Map<String, Long> sizes = new HashMap<>();
        for (Net f : fs) for (int k = 0; k < f.rank(); k++) sizes.put(f.legs().get(k), f.size(k));
        long best = below;
        int bestMask = -1;
        for (int mask = 0; mask < (1 << n); mask++) {
            if ((mask & mustLeft) != mustLeft || (mask & mustRight) != 0) continue;
            if (mask == 0 || mask == (1 << n) - 1) continue;
            long size = 1;
            for (String leg : bond(fs, mask, out)) size *= sizes.get(leg);
            if (size < best) {
                best = size;
                bestMask = mask;
            }
        }
        if (bestMask < 0) return null;
        List<String> bond = new ArrayList<>(bond(fs, bestMask, out));
        List<Net> l = new ArrayList<>(), r = new ArrayList<>();
        for (int k = 0; k < n; k++) ((bestMask >> k & 1) == 1 ? l : r).add(fs.get(k));
        Net ln = side(l, left, bond, sizes, p.coefficient(), p);
        Net rn = side(r, right, bond, sizes, 1.0, p);
        return new Sides(ln, rn, bond, best);
    }

    /** Legs on both sides of the split that the product does not keep. */
    private static Set<String> bond(List<Net> fs, int mask, Set<String> out) {
        Set<String> inLeft = new HashSet<>(), inRight = new HashSet<>();
        for (int k = 0; k < fs.size(); k++) ((mask >> k & 1) == 1 ? inLeft : inRight).addAll(fs.get(k).legs());
        Set<String> bond = new LinkedHashSet<>();
        for (int k = 0; k < fs.size(); k++) {
            for (String leg : fs.get(k).legs()) if (inLeft.contains(leg) && inRight.contains(leg) && !out.contains(leg)) bond.add(leg);
        }
        return bond;
    }

    private static Net side(List<Net> factors, List<String> open, List<String> bond, Map<String, Long> sizes, double coefficient, Net.Product p) {
        List<String> legs = new ArrayList<>(open);
        legs.addAll(bond);
        long[] s = new long[legs.size()];
        for (int k = 0; k < s.length; k++) s[k] = sizes.get(legs.get(k));
        return new Net.Product(factors, legs, s, p.dtype(), coefficient, p.span());
    }
}
