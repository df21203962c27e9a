package tn.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * File names tn makes up from the names of tensors or expressions (`tn draw`, `:draw`). Common
 * file systems allow 255 bytes per name; a longer stem is cut and ends with a short hash of the
 * whole, so the same long name always gives the same file and two long names that share a
 * beginning do not overwrite each other.
 */
public final class FileNames {
    /** Bytes per name component on ext4, XFS, btrfs, APFS and NTFS (in UTF-16 units there). */
    public static final int MAX_BYTES = 255;
    private static final int HASH_CHARS = 8;

    private FileNames() {}

    /** {@code stem + extension}, or a shortened stem plus {@code -HASH} and the extension when that is too long. */
    public static String fit(String stem, String extension) {
        return fit(stem, extension, MAX_BYTES);
    }

    static String fit(String stem, String extension, int maxBytes) {
        if (bytes(stem + extension) <= maxBytes) return stem + extension;
        String suffix = "-" + hash(stem);
        int room = maxBytes - bytes(suffix + extension);
        StringBuilder cut = new StringBuilder();
        for (int k = 0; k < stem.length(); ) {
            int c = stem.codePointAt(k);
            String next = new String(Character.toChars(c));
            if (bytes(cut + next) > room) break;
            cut.append(next);
            k += Character.charCount(c);
        }
        return cut + suffix + extension;
    }

    /** Whether {@link #fit} had to shorten the name. */
    public static boolean shortened(String stem, String extension) {
        return !fit(stem, extension).equals(stem + extension);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int k = 0; hex.length() < HASH_CHARS; k++) hex.append(String.format("%02x", d[k] & 0xff));
            return hex.substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
