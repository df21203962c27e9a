package tn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tn.plan.Network;
import tn.plan.NetworkFile;

/**
 * The benchmark networks, generated with fixed seeds: matrix chains, open-MPS norms, closed
 * square lattices, random 3-regular graphs, CP and Tucker reconstructions, batched chains and
 * transformer QK/OV circuits; plus the public cotengra networks when ../shared/bench is there.
 */
final class BenchNetworks {
    private BenchNetworks() {}

    /** Builds networks with named legs. */
    private static final class Builder {
        final List<int[]> inputs = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final List<Long> sizes = new ArrayList<>();

        int leg(String name, long size) {
            names.add(name);
            sizes.add(size);
            return names.size() - 1;
        }

        void tensor(int... legs) { inputs.add(legs); }

        Network build(int... output) {
            return new Network(inputs, output, sizes.stream().mapToLong(Long::longValue).toArray(), names.toArray(new String[0]));
        }
    }

    static Map<String, Network> all() {
        Map<String, Network> m = new LinkedHashMap<>();
        m.put("matrix_chain_10", chain(10, 1));
        m.put("matrix_chain_40", chain(40, 2));
        for (int length : new int[] {16, 64}) for (int bond : new int[] {16, 64}) m.put("mps_norm_L" + length + "_chi" + bond, mpsNorm(length, bond, 2));
        for (int side : new int[] {4, 5, 6, 8}) m.put("lattice_" + side + "x" + side + "_D2", lattice(side, 2));
        m.put("lattice_6x6_D4", lattice(6, 4));
        for (int n : new int[] {20, 60, 100, 200}) m.put("randreg3_n" + n + "_D2", randomRegular(n, 2, n));
        m.put("cp_reconstruct_r32", cp(64, 32));
        m.put("tucker_reconstruct", tucker(64, 16));
        m.put("batched_chain", batchedChain(8, 6, 64));
        m.put("transformer_qk", transformerQk(4, 2048, 256, 64));
        m.put("transformer_ov", transformerOv(4, 2048, 256, 64));
        return m;
    }

    /** The public cotengra benchmark networks, if the shared folder is there. */
    static Map<String, Network> cotengra(Path dir) throws IOException {
        Map<String, Network> m = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) return m;
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String name = p.getFileName().toString().replace(".json", "");
                m.put(name, NetworkFile.parse(Files.readString(p, StandardCharsets.UTF_8)));
            }
        }
        return m;
    }

    static Network chain(int n, long seed) {
        Random r = new Random(seed);
        Builder b = new Builder();
        int[] legs = new int[n + 1];
        for (int k = 0; k <= n; k++) legs[k] = b.leg("d" + k, 8 + r.nextInt(120));
        for (int k = 0; k < n; k++) b.tensor(legs[k], legs[k + 1]);
        return b.build(legs[0], legs[n]);
    }

    /** <psi|psi> for an open MPS: bra and ket sites share physical legs. */
    static Network mpsNorm(int length, long bond, long phys) {
        Builder b = new Builder();
        int[] p = new int[length], ket = new int[length - 1], bra = new int[length - 1];
        for (int k = 0; k < length; k++) p[k] = b.leg("p" + k, phys);
        for (int k = 0; k < length - 1; k++) {
            ket[k] = b.leg("k" + k, bond);
            bra[k] = b.leg("b" + k, bond);
        }
        for (int k = 0; k < length; k++) {
            for (int[] bonds : new int[][] {ket, bra}) {
                if (k == 0) b.tensor(p[k], bonds[0]);
                else if (k == length - 1) b.tensor(bonds[k - 1], p[k]);
                else b.tensor(bonds[k - 1], p[k], bonds[k]);
            }
        }
        return b.build();
    }

    /** A closed side x side square lattice (open boundaries) with bond D, contracted to a scalar. */
    static Network lattice(int side, long bond) {
        Builder b = new Builder();
        int[][] h = new int[side][side], v = new int[side][side];
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                if (c + 1 < side) h[r][c] = b.leg("h" + r + "_" + c, bond);
                if (r + 1 < side) v[r][c] = b.leg("v" + r + "_" + c, bond);
            }
        }
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                List<Integer> l = new ArrayList<>();
                if (c > 0) l.add(h[r][c - 1]);
                if (c + 1 < side) l.add(h[r][c]);
                if (r > 0) l.add(v[r - 1][c]);
                if (r + 1 < side) l.add(v[r][c]);
                b.tensor(l.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return b.build();
    }

    /** A random 3-regular graph (pairing model, retried until simple), one rank-3 tensor per vertex. */
    static Network randomRegular(int n, long bond, long seed) {
        Random r = new Random(seed);
        while (true) {
            List<Integer> stubs = new ArrayList<>();
            for (int v = 0; v < n; v++) for (int k = 0; k < 3; k++) stubs.add(v);
            java.util.Collections.shuffle(stubs, r);
            boolean simple = true;
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (int k = 0; k < stubs.size(); k += 2) {
                int a = Math.min(stubs.get(k), stubs.get(k + 1)), c = Math.max(stubs.get(k), stubs.get(k + 1));
                if (a == c || !seen.add((long) a * n + c)) { simple = false; break; }
            }
            if (!simple) continue;
            Builder b = new Builder();
            List<List<Integer>> legs = new ArrayList<>();
            for (int v = 0; v < n; v++) legs.add(new ArrayList<>());
            for (int k = 0; k < stubs.size(); k += 2) {
                int e = b.leg("e" + k / 2, bond);
                legs.get(stubs.get(k)).add(e);
                legs.get(stubs.get(k + 1)).add(e);
            }
            for (List<Integer> l : legs) b.tensor(l.stream().mapToInt(Integer::intValue).toArray());
            return b.build();
        }
    }

    /** s[r] A[i,r] B[j,r] C[k,r] -> T[i,j,k]. */
    static Network cp(long size, long rank) {
        Builder b = new Builder();
        int i = b.leg("i", size), j = b.leg("j", size), k = b.leg("k", size), r = b.leg("r", rank);
        b.tensor(r);
        b.tensor(i, r);
        b.tensor(j, r);
        b.tensor(k, r);
        return b.build(i, j, k);
    }

    /** G[a,b,c] U[i,a] V[j,b] W[k,c] -> T[i,j,k]. */
    static Network tucker(long size, long rank) {
        Builder b = new Builder();
        int i = b.leg("i", size), j = b.leg("j", size), k = b.leg("k", size);
        int a = b.leg("a", rank), c = b.leg("b", rank), d = b.leg("c", rank);
        b.tensor(a, c, d);
        b.tensor(i, a);
        b.tensor(j, c);
        b.tensor(k, d);
        return b.build(i, j, k);
    }

    /** A[b,i,j] B[b,j,k] ... -> [b, i, last]: a chain batched over b. */
    static Network batchedChain(int length, long batch, long dim) {
        Builder b = new Builder();
        int bl = b.leg("b", batch);
        int[] d = new int[length + 1];
        for (int k = 0; k <= length; k++) d[k] = b.leg("d" + k, dim);
        for (int k = 0; k < length; k++) b.tensor(bl, d[k], d[k + 1]);
        return b.build(bl, d[0], d[length]);
    }

    /** Per head: W_E[v,d] W_Q[h,d,e] W_K[h,d',e] W_E[v',d'] -> [h, v, v'] (the QK circuit). */
    static Network transformerQk(long heads, long vocab, long model, long head) {
        Builder b = new Builder();
        int h = b.leg("h", heads), v = b.leg("v", vocab), v2 = b.leg("v'", vocab);
        int d = b.leg("d", model), d2 = b.leg("d'", model), e = b.leg("e", head);
        b.tensor(v, d);
        b.tensor(h, d, e);
        b.tensor(h, d2, e);
        b.tensor(v2, d2);
        return b.build(h, v, v2);
    }

    /** Per head: W_U[v,d] W_O[h,e,d] W_V[h,d',e] W_E[v',d'] -> [h, v, v'] (the OV circuit). */
    static Network transformerOv(long heads, long vocab, long model, long head) {
        Builder b = new Builder();
        int h = b.leg("h", heads), v = b.leg("v", vocab), v2 = b.leg("v'", vocab);
        int d = b.leg("d", model), d2 = b.leg("d'", model), e = b.leg("e", head);
        b.tensor(v, d);
        b.tensor(h, e, d);
        b.tensor(h, d2, e);
        b.tensor(v2, d2);
        return b.build(h, v, v2);
    }

    /** The network in the opt_einsum/cotengra JSON format (legs by name). */
    static String json(Network n) {
        StringBuilder sb = new StringBuilder("{\"inputs\": [");
        for (int k = 0; k < n.inputCount(); k++) {
            if (k > 0) sb.append(", ");
            sb.append(legs(n, n.inputs().get(k)));
        }
        sb.append("], \"output\": ").append(legs(n, n.output())).append(", \"size_dict\": {");
        for (int l = 0; l < n.legCount(); l++) {
            if (l > 0) sb.append(", ");
            sb.append(quote(n.names()[l])).append(": ").append(n.sizes()[l]);
        }
        return sb.append("}}").toString();
    }

    private static String legs(Network n, int[] legs) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < legs.length; k++) {
            if (k > 0) sb.append(", ");
            sb.append(quote(n.names()[legs[k]]));
        }
        return sb.append(']').toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
