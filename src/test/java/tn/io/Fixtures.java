package tn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The numpy-made files under src/test/resources/npy and what they hold, as listed in expected.txt
 * by make_fixtures.py (see that script for the format).
 */
final class Fixtures {
    private Fixtures() {}

    /** One array listed in expected.txt: a .npy file, or one key of a .npz file. */
    record Expected(String file, String key, String dtype, long[] shape, double[] values) {
        @Override public String toString() {
            return key == null ? file : file + ":" + key;
        }
    }

    static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/npy/expected.txt").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    static List<Expected> all() {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir().resolve("expected.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Expected> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) continue;
            String[] f = line.split("\\|", -1);
            String label = f[0].trim();
            int colon = label.indexOf(':');
            String file = colon < 0 ? label : label.substring(0, colon);
            String key = colon < 0 ? null : label.substring(colon + 1);
            out.add(new Expected(file, key, f[1].trim(), longs(f[2].trim()), doubles(f[3].trim())));
        }
        return out;
    }

    private static long[] longs(String csv) {
        if (csv.isEmpty()) return new long[0];
        String[] parts = csv.split(",");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Long.parseLong(parts[i]);
        return out;
    }

    private static double[] doubles(String spaced) {
        if (spaced.isEmpty()) return new double[0];
        String[] parts = spaced.split(" ");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Double.parseDouble(parts[i]);
        return out;
    }
}
