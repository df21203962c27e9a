package tn.io;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the part of a .npy file before the data: the magic string, the format version, the header
 * length and the header dict, and checks the dict the way numpy does (exactly the keys
 * {@code descr}, {@code fortran_order} and {@code shape}, with values of the right types).
 * It consumes nothing past the header, so the caller can go on to read the data from the same
 * stream, or stop there when only the shape is wanted.
 */
final class NpyHeaderReader {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** The magic string as it is written in messages and in numpy's documentation. */
    static final String MAGIC_TEXT = "\\x93NUMPY";
    /**
     * Refuse longer headers before allocating for them: a real header is a few hundred bytes, so
     * a huge declared length means a corrupt file, not a big array.
     */
    static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int HEADER_QUOTE_LIMIT = 200;

    private NpyHeaderReader() {}

    /** Reads and checks the header; {@code name} is how messages refer to the file. */
    static NpyHeader read(InputStream in, String name) throws NpyException, IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (magic.length == 0) throw new NpyException(name + ": empty file (0 bytes)");
        for (int i = 0; i < magic.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new NpyException(name + ": not a .npy file (it does not start with " + MAGIC_TEXT + ")");
            }
        }
        if (magic.length < MAGIC.length) throw truncatedPreamble(name, magic.length, MAGIC.length + 4);

        byte[] version = in.readNBytes(2);
        if (version.length < 2) throw truncatedPreamble(name, MAGIC.length + version.length, MAGIC.length + 4);
        int major = version[0] & 0xff;
        int minor = version[1] & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyException(name + ": unsupported .npy format version " + major + "." + minor
                    + " (tn reads versions 1.0, 2.0 and 3.0)");
        }

        // Version 1.0 stores the header length in 2 bytes; 2.0 and 3.0 allow longer headers with 4.
        int lengthBytes = major == 1 ? 2 : 4;
        int preamble = MAGIC.length + 2 + lengthBytes;
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) {
            throw truncatedPreamble(name, MAGIC.length + 2 + lengthField.length, preamble);
        }
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) headerLength = (headerLength << 8) | (lengthField[i] & 0xff);
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NpyException(name + ": the header claims to be " + headerLength + " bytes long, more than the "
                    + MAX_HEADER_BYTES + " bytes tn accepts; the file is probably damaged");
        }

        byte[] header = in.readNBytes((int) headerLength);
        if (header.length < headerLength) {
            throw new NpyException(name + ": truncated: the header is declared as " + headerLength
                    + " bytes long but only " + bytes(header.length) + " follow" + (header.length == 1 ? "s" : ""));
        }
        // 1.0 and 2.0 headers are latin-1; 3.0 exists only to allow UTF-8.
        String text = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return interpret(text, name, preamble + headerLength);
    }

    /** Checks the header dict and turns it into an {@link NpyHeader}. */
    static NpyHeader interpret(String text, String name, long dataOffset) throws NpyException {
        if (text.isBlank()) throw malformed(name, "the header is empty");
        Object parsed;
        try {
            parsed = PyLiteral.parse(text);
        } catch (PyLiteral.SyntaxError e) {
            String where = e.position >= text.stripTrailing().length() ? " at the end of "
                    : " at character " + (e.position + 1) + " of ";
            throw malformed(name, e.getMessage() + where + quote(text));
        }
        if (!(parsed instanceof Map<?, ?> dict)) {
            throw malformed(name, "it should be a dict with the keys 'descr', 'fortran_order' and 'shape' but it is "
                    + quote(PyLiteral.repr(parsed)));
        }
        for (Object key : dict.keySet()) {
            if (!(key.equals("descr") || key.equals("fortran_order") || key.equals("shape"))) {
                throw malformed(name, "unexpected key " + PyLiteral.repr(key)
                        + " (a .npy header has exactly the keys 'descr', 'fortran_order' and 'shape')");
            }
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw malformed(name, "the key '" + key + "' is missing in " + quote(text));
            }
        }

        long[] shape = shape(dict.get("shape"), name);
        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean fortranOrder)) {
            throw malformed(name, "'fortran_order' must be True or False, found " + PyLiteral.repr(fortran));
        }
        DtypeDescr.Parsed type = descr(dict.get("descr"), name);

        long count = Shapes.elementCount(shape);
        if (Shapes.byteCount(count, type.type().size) < 0) {
            throw new NpyException(name + ": the header declares shape " + Shapes.format(shape) + " of "
                    + type.type().label + ", which is more data than any file can hold; the file is probably damaged");
        }
        return new NpyHeader(shape, type.type().label, type.order() == ByteOrder.BIG_ENDIAN, fortranOrder, dataOffset);
    }

    private static long[] shape(Object value, String name) throws NpyException {
        if (!(value instanceof PyLiteral.Tuple tuple)) {
            throw malformed(name, "'shape' must be a tuple of integers such as (3, 4), found " + PyLiteral.repr(value));
        }
        List<Long> extents = new ArrayList<>();
        for (Object item : tuple.items()) {
            if (!(item instanceof BigInteger n)) {
                throw malformed(name, "'shape' must be a tuple of integers such as (3, 4), found " + PyLiteral.repr(value));
            }
            if (n.signum() < 0) {
                throw malformed(name, "'shape' " + PyLiteral.repr(value) + " has a negative extent");
            }
            if (n.bitLength() > 63) {
                throw malformed(name, "'shape' " + PyLiteral.repr(value) + " has an extent too large for any file");
            }
            extents.add(n.longValue());
        }
        long[] shape = new long[extents.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = extents.get(i);
        return shape;
    }

    private static DtypeDescr.Parsed descr(Object value, String name) throws NpyException {
        if (value instanceof String s) return DtypeDescr.parse(s, name);
        if (value instanceof List<?>) {
            // numpy writes a list of (name, type) pairs for arrays of records.
            throw new NpyException(name + ": structured arrays (dtype with named fields) are not supported; "
                    + ElementType.SUPPORTED);
        }
        throw malformed(name, "'descr' must be a type string such as '<f4', found " + PyLiteral.repr(value));
    }

    /** Fails when fewer bytes follow the header than its shape and dtype need. */
    static void checkDataLength(NpyHeader header, long available, String name) throws NpyException {
        if (available < header.dataBytes()) throw truncatedData(header, available, name);
    }

    static NpyException truncatedData(NpyHeader header, long available, String name) {
        return new NpyException(name + ": truncated: the header declares shape " + Shapes.format(header.shape())
                + " of " + header.dtype() + " (" + bytes(header.dataBytes()) + " of data) but only "
                + bytes(Math.max(0, available)) + (available == 1 ? " follows" : " follow"));
    }

    private static NpyException truncatedPreamble(String name, int have, int need) {
        return new NpyException(name + ": truncated: the file ends after " + bytes(have)
                + ", inside the " + need + "-byte preamble that comes before the header");
    }

    private static NpyException malformed(String name, String detail) {
        return new NpyException(name + ": malformed header: " + detail);
    }

    /** The header as it appears in the file, trimmed of its padding and shortened if very long. */
    private static String quote(String header) {
        String s = header.strip();
        if (s.length() > HEADER_QUOTE_LIMIT) s = s.substring(0, HEADER_QUOTE_LIMIT) + "...";
        // A damaged file can put control characters here; show them as Python would.
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    static String bytes(long n) {
        return n + (n == 1 ? " byte" : " bytes");
    }
}
