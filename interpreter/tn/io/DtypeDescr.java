package tn.io;

import java.nio.ByteOrder;

/**
 * Interprets the {@code descr} of a .npy header, a numpy array-protocol type string such as
 * {@code '<f4'}: an optional byte-order character ({@code <} little, {@code >} big, {@code =}
 * native, {@code |} not applicable) followed by a kind letter and a size in bytes. Types tn cannot
 * hold get a message naming what they are, so the user knows what to convert to.
 */
final class DtypeDescr {

    /** A readable descr: element type and the byte order its data is stored in. */
    record Parsed(ElementType type, ByteOrder order) {}

    private DtypeDescr() {}

    /** @throws NpyException naming {@code file} when the type is not one tn reads */
    static Parsed parse(String descr, String file) throws NpyException {
        ByteOrder order = ByteOrder.nativeOrder();
        String code = descr;
        if (!code.isEmpty() && "<>|=".indexOf(code.charAt(0)) >= 0) {
            char c = code.charAt(0);
            if (c == '<') order = ByteOrder.LITTLE_ENDIAN;
            if (c == '>') order = ByteOrder.BIG_ENDIAN;
            // '=' is native order; '|' means order does not matter (one-byte types).
            code = code.substring(1);
        }
        if (code.equals("?")) return new Parsed(ElementType.BOOL, order);  // numpy's one-letter code for bool
        if (code.isEmpty()) throw unsupported(descr, file, "it names no type");
        char kind = code.charAt(0);
        String rest = code.substring(1);
        if (kind == 'O') throw new NpyException(file + ": object arrays (dtype 'O') cannot be read");
        int size = rest.matches("[0-9]{1,4}") ? Integer.parseInt(rest) : -1;
        ElementType type = size > 0 ? ElementType.of(kind, size) : null;
        if (type != null) return new Parsed(type, order);
        throw unsupported(descr, file, reason(kind, size));
    }

    private static String reason(char kind, int size) {
        switch (kind) {
            case 'c': return "complex numbers are complex64 ('c8') or complex128 ('c16')";
            case 'f': return size == 12 || size == 16
                    ? "extended-precision floats (longdouble) are not supported"
                    : "there is no " + (size > 0 ? size + "-byte " : "") + "float type";
            case 'i': case 'u': return "there is no " + (size > 0 ? size + "-byte " : "") + "integer type";
            case 'b': return "bool must be 'b1'";
            case 'U': case 'S': case 'a': return "text arrays are not supported";
            case 'M': case 'm': return "date and time arrays are not supported";
            case 'V': return "raw binary (void) arrays are not supported";
            default: return "it is not a numeric type tn knows";
        }
    }

    private static NpyException unsupported(String descr, String file, String reason) {
        return new NpyException(file + ": unsupported dtype " + PyLiteral.repr(descr)
                + " (" + reason + "; " + ElementType.SUPPORTED + ")");
    }
}
