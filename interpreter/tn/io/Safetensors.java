package tn.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tn.exec.Backend;
import tn.exec.DType;

/**
 * Reading and writing Hugging Face {@code .safetensors} files: an 8-byte little-endian header
 * length N, N bytes of JSON ({name: {dtype, shape, data_offsets: [begin, end]}}, plus an optional
 * {@code __metadata__}), then the raw little-endian data, offsets counted from the end of the
 * header. Tensors come back in the order of their data in the file. F64 stays float64; F32, F16
 * and BF16 become float32; integer and boolean tensors become float64 values.
 */
public final class Safetensors {
    private Safetensors() {}

    /** One tensor's entry in the header. */
    private record Entry(String name, String dtype, long[] shape, long begin, long end) {}

    /** The header: the tensors in the order of their data, and where the data starts in the file. */
    private record Header(List<Entry> entries, long dataStart) {}

    /** Longer headers are refused before they are read (as the reference implementation does). */
    static final long MAX_HEADER_BYTES = 100_000_000;
    /** Bytes of tensor data read at a time. */
    private static final int CHUNK_BYTES = 1 << 20;

    /**
     * Reads every tensor. Only the header and one tensor's data are in memory at a time (as
     * doubles), never the whole file.
     */
    public static Map<String, NdData> read(Path file) throws NpyException {
        String name = file.toString();
        try (FileChannel channel = open(file, name)) {
            Header h = header(channel, name);
            Map<String, NdData> out = new LinkedHashMap<>();
            for (Entry e : h.entries()) out.put(e.name(), tensor(channel, h.dataStart(), e, name));
            return out;
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
    }

    /** The shapes of the tensors, reading only the header (and checking it against the file's size). */
    public static Map<String, long[]> shapes(Path file) throws NpyException {
        String name = file.toString();
        try (FileChannel channel = open(file, name)) {
            Map<String, long[]> out = new LinkedHashMap<>();
            for (Entry e : header(channel, name).entries()) out.put(e.name(), e.shape());
            return out;
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
    }

    /**
     * The file opened for reading its tensors, or parts of them, one at a time straight into a
     * backend's arrays ({@link Opened#read}), or for mapping them ({@link Opened#tensor}): only the
     * header is read here (and checked against the file's size). The channel is opened for
     * writing too where the file allows it, only because Java maps a file privately (copy on
     * write) only through such a channel; nothing is ever written. Close it when done (mappings
     * outlive it).
     */
    public static Opened open(Path file) throws NpyException {
        return open(file, true);
    }

    /** As {@link #open(Path)}; with {@code map} false, {@link Opened#tensor} reads (never maps). */
    public static Opened open(Path file, boolean map) throws NpyException {
        String name = file.toString();
        FileChannel channel = null;
        try {
            if (Files.isDirectory(file)) throw new NpyException(name + ": is a directory, not a file");
            try {
                channel = map && Files.isWritable(file) ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE) : null;
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                channel = null; // a read-only file system, say: read instead of mapping
            }
            if (channel == null) channel = open(file, name);
            Header h = header(channel, name);
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Entry e : h.entries()) entries.put(e.name(), e);
            return new Opened(channel, name, entries, h.dataStart(), map);
        } catch (IOException e) {
            closeQuietly(channel);
            throw Npy.unreadable(name, e);
        } catch (NpyException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was read from it
        }
    }

    /** A safetensors file whose header has been read and checked; tensors are read on demand. */
    public static final class Opened implements AutoCloseable {
        private final FileChannel channel;
        private final String name;
        private final Map<String, Entry> entries;
        private final long dataStart;
        private final boolean map;

        private Opened(FileChannel channel, String name, Map<String, Entry> entries, long dataStart, boolean map) {
            this.channel = channel;
            this.name = name;
            this.entries = entries;
            this.dataStart = dataStart;
            this.map = map;
        }

        /** The tensors' shapes, in the order of their data. */
        public Map<String, long[]> shapes() {
            Map<String, long[]> out = new LinkedHashMap<>();
            for (Entry e : entries.values()) out.put(e.name(), e.shape());
            return out;
        }

        /**
         * Runs of {@code run} entries of each tensor of {@code tensors} in turn, as one new array of
         * the shape: of a tensor read as rows of {@code rowLength} entries, entries
         * {@code [from, from + run)} of every row (a whole tensor: from 0, run and rowLength its
         * size). Floating-point data goes straight into the array's memory ({@link Backend#read});
         * integers and booleans are decoded as doubles first.
         */
        public tn.exec.Dense read(Backend backend, DType dtype, List<String> tensors, long rowLength, long from, long run, long[] shape)
                throws NpyException {
            List<Long> positions = new ArrayList<>();
            tn.exec.Stored stored = null;
            boolean floats = true;
            for (String t : tensors) {
                Entry e = entry(t);
                tn.exec.Stored s = stored(e.dtype());
                if (s == null || (stored != null && s != stored)) floats = false;
                stored = s;
                long count = Shapes.elementCount(e.shape());
                if (rowLength <= 0 || count % rowLength != 0 || from + run > rowLength) {
                    throw new IllegalArgumentException(t + " " + java.util.Arrays.toString(e.shape()) + " read as rows of " + rowLength);
                }
                int width = width(e.dtype());
                for (long r = 0; r < count / rowLength; r++) positions.add(dataStart + e.begin() + (r * rowLength + from) * width);
            }
            try {
                if (floats) return backend.read(channel, positions.stream().mapToLong(Long::longValue).toArray(), run, stored, shape, dtype);
                double[] d = new double[Math.toIntExact(run * positions.size())];
                int at = 0;
                for (String t : tensors) {
                    double[] all = Safetensors.tensor(channel, dataStart, entry(t), name).data();
                    for (long r = 0; r < all.length / rowLength; r++, at += (int) run) System.arraycopy(all, (int) (r * rowLength + from), d, at, (int) run);
                }
                return backend.fromDoubles(d, shape, dtype);
            } catch (java.io.EOFException e) {
                throw new NpyException(name + ": truncated: " + e.getMessage() + " (it was shorter than it said)");
            } catch (IOException e) {
                throw Npy.unreadable(name, e);
            }
        }

        /**
         * One whole tensor as an array of the shape (its entry count): the file's memory itself
         * when the backend can map it ({@link Backend#mapped}: the stored type is the array's),
         * else read.
         */
        public tn.exec.Dense tensor(Backend backend, DType dtype, String tensor, long[] shape) throws NpyException {
            Entry e = entry(tensor);
            tn.exec.Stored s = stored(e.dtype());
            if (s != null && map) {
                try {
                    tn.exec.Dense d = backend.mapped(channel, dataStart + e.begin(), s, shape, dtype);
                    if (d != null) return d;
                } catch (IOException ex) {
                    throw Npy.unreadable(name, ex);
                }
            }
            long n = Shapes.elementCount(e.shape());
            return read(backend, dtype, List.of(tensor), n, 0, n, shape);
        }

        private Entry entry(String tensor) {
            Entry e = entries.get(tensor);
            if (e == null) throw new IllegalArgumentException("no tensor " + tensor + " in " + name);
            return e;
        }

        /** How a tensor of this safetensors dtype is stored, when it is floating-point; null otherwise. */
        private static tn.exec.Stored stored(String dtype) {
            return switch (dtype) {
                case "F64" -> tn.exec.Stored.F64;
                case "F32" -> tn.exec.Stored.F32;
                case "F16" -> tn.exec.Stored.F16;
                case "BF16" -> tn.exec.Stored.BF16;
                default -> null;
            };
        }

        @Override
        public void close() {
            closeQuietly(channel);
        }
    }

    private static FileChannel open(Path file, String name) throws NpyException, IOException {
        if (Files.isDirectory(file)) throw new NpyException(name + ": is a directory, not a file");
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /** Reads the length, then the JSON header, and checks every entry against the file. */
    private static Header header(FileChannel channel, String name) throws NpyException, IOException {
        long size = channel.size();
        if (size < 8) throw new NpyException(name + ": not a safetensors file (" + size + " bytes, shorter than the 8-byte header length)");
        ByteBuffer length = readFully(channel, 0, 8, name);
        long n = length.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 2 || n > size - 8) {
            throw new NpyException(name + ": header length " + Long.toUnsignedString(n) + " is larger than the file (" + size + " bytes)");
        }
        if (n > MAX_HEADER_BYTES) {
            throw new NpyException(name + ": header length " + n + " is more than the " + MAX_HEADER_BYTES
                    + " bytes a safetensors header may have; the file is probably damaged");
        }
        ByteBuffer json = readFully(channel, 8, (int) n, name);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(json).toString();
        } catch (CharacterCodingException e) {
            throw new NpyException(name + ": not a safetensors file (the header is not UTF-8 text)");
        }
        return new Header(entries(text, name, size - 8 - n), 8 + n);
    }

    private static ByteBuffer readFully(FileChannel channel, long at, int length, String name) throws NpyException, IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                throw new NpyException(name + ": truncated: the file ended at byte " + (at + b.position()) + " (it was shorter than it said)");
            }
        }
        return b.flip();
    }

    /** Parses and checks the header's JSON for a file with {@code dataSize} bytes of data after the header. */
    private static List<Entry> entries(String json, String name, long dataSize) throws NpyException {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) throw new NpyException(name + ": not a safetensors file (the header is not a JSON object)");
            root = e.getAsJsonObject();
            String repeated = JsonKeys.firstRepeated(json);
            if (repeated != null) {
                throw new NpyException(name + ": the header gives '" + repeated + "' twice (which one is meant?); the file is damaged");
            }
        } catch (com.google.gson.JsonParseException | IOException e) {
            throw new NpyException(name + ": not a safetensors file (the header is not JSON: " + e.getMessage() + ")");
        } catch (StackOverflowError e) {
            throw new NpyException(name + ": not a safetensors file (the header's JSON is nested too deeply)");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> kv : root.entrySet()) {
            String t = kv.getKey();
            if (t.equals("__metadata__")) continue;
            String where = name + ": tensor " + t;
            if (!kv.getValue().isJsonObject()) throw new NpyException(where + " has no {dtype, shape, data_offsets} entry");
            JsonObject o = kv.getValue().getAsJsonObject();
            if (!o.has("dtype") || !o.has("shape") || !o.has("data_offsets")) throw new NpyException(where + " needs dtype, shape and data_offsets");
            JsonElement type = o.get("dtype");
            if (!type.isJsonPrimitive() || !type.getAsJsonPrimitive().isString()) {
                throw new NpyException(where + ": dtype must be a string such as \"F32\", not " + quote(type));
            }
            String dtype = type.getAsString();
            int width = width(dtype);
            if (width == 0) {
                throw new NpyException(where + " has dtype " + dtype + ", which tn does not read (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
            }
            long[] shape = longs(o.get("shape"), where + ": shape");
            long[] offsets = longs(o.get("data_offsets"), where + ": data_offsets");
            if (offsets.length != 2 || offsets[0] > offsets[1]) throw new NpyException(where + ": data_offsets must be [begin, end] with begin <= end");
            long count = Shapes.elementCount(shape), needed = Shapes.byteCount(count, width);
            if (needed < 0) {
                throw new NpyException(where + " has shape " + java.util.Arrays.toString(shape) + ", more data than any file holds; the file is damaged");
            }
            if (offsets[1] - offsets[0] != needed) {
                throw new NpyException(where + ": data_offsets " + java.util.Arrays.toString(offsets) + " hold " + (offsets[1] - offsets[0])
                        + " bytes but " + dtype + " " + java.util.Arrays.toString(shape) + " needs " + needed);
            }
            if (offsets[1] > dataSize) {
                throw new NpyException(where + ": data_offsets end at byte " + offsets[1] + " but the file has " + dataSize
                        + " bytes of data (truncated?)");
            }
            if (count > NpyDataReader.MAX_ELEMENTS) throw new NpyException(where + " has " + count + " entries, more than one array can hold");
            entries.add(new Entry(t, dtype, shape, offsets[0], offsets[1]));
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        for (int k = 1; k < entries.size(); k++) {
            if (entries.get(k).begin() < entries.get(k - 1).end()) {
                throw new NpyException(name + ": tensors " + entries.get(k - 1).name() + " and " + entries.get(k).name() + " overlap in the data");
            }
        }
        return entries;
    }

    /** A JSON value as the header has it, shortened when long. */
    private static String quote(JsonElement e) {
        String s = e.toString();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Non-negative whole numbers; what names them in messages. */
    private static long[] longs(JsonElement e, String what) throws NpyException {
        if (!e.isJsonArray()) throw new NpyException(what + " must be a list of whole numbers, not " + quote(e));
        JsonArray a = e.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int k = 0; k < out.length; k++) {
            JsonElement x = a.get(k);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                throw new NpyException(what + " must be a list of whole numbers >= 0, not " + quote(a));
            }
            java.math.BigDecimal d;
            try {
                d = x.getAsBigDecimal();
            } catch (NumberFormatException ex) {
                throw new NpyException(what + " must be a list of whole numbers >= 0, not " + quote(a));
            }
            if (d.signum() < 0 || d.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0 || d.stripTrailingZeros().scale() > 0) {
                throw new NpyException(what + " must be a list of whole numbers >= 0 (at most 2^63 - 1), not " + quote(a));
            }
            out[k] = d.longValueExact();
        }
        return out;
    }

    /** One tensor's data, read in chunks from its place in the file. */
    private static NdData tensor(FileChannel channel, long dataStart, Entry e, String name) throws NpyException, IOException {
        int n = (int) Shapes.elementCount(e.shape());
        int width = width(e.dtype());
        double[] d = new double[n];
        int perChunk = CHUNK_BYTES / width;
        ByteBuffer b = ByteBuffer.allocate(perChunk * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < n; ) {
            int count = Math.min(perChunk, n - done);
            b.clear().limit(count * width);
            long at = dataStart + e.begin() + (long) done * width;
            while (b.hasRemaining()) {
                if (channel.read(b, at + b.position()) < 0) {
                    throw new NpyException(name + ": tensor " + e.name() + ": truncated: the file ended at byte " + (at + b.position()));
                }
            }
            b.flip();
            decode(e.dtype(), b, d, done, count);
            done += count;
        }
        DType dtype = e.dtype().equals("F32") || e.dtype().equals("F16") || e.dtype().equals("BF16") ? DType.FLOAT32 : DType.FLOAT64;
        return NdData.of(e.shape(), d, dtype);
    }

    private static void decode(String dtype, ByteBuffer b, double[] d, int at, int count) {
        switch (dtype) {
            case "F64" -> { for (int i = 0; i < count; i++) d[at + i] = b.getDouble(); }
            case "F32" -> { for (int i = 0; i < count; i++) d[at + i] = b.getFloat(); }
            case "F16" -> { for (int i = 0; i < count; i++) d[at + i] = half(b.getShort()); }
            case "BF16" -> { for (int i = 0; i < count; i++) d[at + i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16); }
            case "I64" -> { for (int i = 0; i < count; i++) d[at + i] = b.getLong(); }
            case "I32" -> { for (int i = 0; i < count; i++) d[at + i] = b.getInt(); }
            case "I16" -> { for (int i = 0; i < count; i++) d[at + i] = b.getShort(); }
            case "I8" -> { for (int i = 0; i < count; i++) d[at + i] = b.get(); }
            case "U8" -> { for (int i = 0; i < count; i++) d[at + i] = b.get() & 0xff; }
            case "BOOL" -> { for (int i = 0; i < count; i++) d[at + i] = b.get() != 0 ? 1 : 0; }
            default -> throw new IllegalStateException("dtype " + dtype + " passed the header check");
        }
    }

    /** An IEEE 754 half-precision number (Java 17 has no Float.float16ToFloat). */
    static double half(short bits) {
        int sign = (bits >> 15) & 1, exponent = (bits >> 10) & 0x1f, fraction = bits & 0x3ff;
        double v;
        if (exponent == 0) v = fraction * Math.pow(2, -24);                 // zero and subnormals
        else if (exponent == 31) v = fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        else v = (1 + fraction / 1024.0) * Math.pow(2, exponent - 15);
        return sign == 1 ? -v : v;
    }

    static int width(String dtype) {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16", "I16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> 0;
        };
    }

    /** Writes the arrays (float64 as F64, float32 as F32) in the given order. */
    public static void write(Path file, Map<String, NdData> arrays) throws IOException {
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        List<byte[]> chunks = new ArrayList<>();
        for (Map.Entry<String, NdData> e : arrays.entrySet()) {
            NdData x = e.getValue();
            if (x.isComplex()) {
                throw new IllegalArgumentException("array '" + e.getKey() + "' is " + x.dtype() + ", and .safetensors has no complex dtype;"
                        + " save complex tensors as .npy or .npz (or their real and imaginary parts as two float arrays)");
            }
            boolean f32 = x.dtype().equals(DType.FLOAT32.label()) || x.dtype().equals("<f4");
            int w = f32 ? 4 : 8;
            ByteBuffer b = ByteBuffer.allocate(x.data().length * w).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : x.data()) {
                if (f32) b.putFloat((float) v);
                else b.putDouble(v);
            }
            chunks.add(b.array());
            if (json.length() > 1) json.append(',');
            json.append(new com.google.gson.Gson().toJson(e.getKey()))
                    .append(":{\"dtype\":\"").append(f32 ? "F32" : "F64").append("\",\"shape\":")
                    .append(java.util.Arrays.toString(x.shape()).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(offset + b.capacity()).append("]}");
            offset += b.capacity();
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - header.length % 8) % 8; // the format pads the header with spaces to a multiple of 8
        ByteBuffer out = ByteBuffer.allocate((int) (8 + header.length + pad + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length + pad);
        out.put(header);
        for (int i = 0; i < pad; i++) out.put((byte) ' ');
        for (byte[] c : chunks) out.put(c);
        Files.write(file, out.array());
    }
}
