package tn.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    public static Map<String, NdData> read(Path file) throws NpyException {
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
        return read(bytes, name);
    }

    static Map<String, NdData> read(byte[] bytes, String name) throws NpyException {
        List<Entry> entries = header(bytes, name);
        long start = 8 + ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Map<String, NdData> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            ByteBuffer b = ByteBuffer.wrap(bytes, (int) (start + e.begin()), (int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
            int n = (int) count(e.shape());
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = switch (e.dtype()) {
                    case "F64" -> b.getDouble();
                    case "F32" -> b.getFloat();
                    case "F16" -> half(b.getShort());
                    case "BF16" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                    case "I64" -> b.getLong();
                    case "I32" -> b.getInt();
                    case "I16" -> b.getShort();
                    case "I8" -> b.get();
                    case "U8" -> b.get() & 0xff;
                    case "BOOL" -> b.get() != 0 ? 1 : 0;
                    default -> throw new IllegalStateException(e.dtype());
                };
            }
            DType dtype = e.dtype().equals("F32") || e.dtype().equals("F16") || e.dtype().equals("BF16") ? DType.FLOAT32 : DType.FLOAT64;
            out.put(e.name(), NdData.of(e.shape(), d, dtype));
        }
        return out;
    }

    /** The shapes of the tensors, reading only the header (and checking it against the file's size). */
    public static Map<String, long[]> shapes(Path file) throws NpyException {
        String name = file.toString();
        try {
            long size = Files.size(file);
            byte[] head;
            try (var in = Files.newInputStream(file)) {
                byte[] len = in.readNBytes(8);
                if (len.length < 8) throw new NpyException(name + ": not a safetensors file (" + size + " bytes, shorter than the 8-byte header length)");
                long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (n < 2 || n > size - 8) {
                    throw new NpyException(name + ": header length " + Long.toUnsignedString(n) + " is larger than the file (" + size + " bytes)");
                }
                byte[] json = in.readNBytes((int) n);
                head = new byte[(int) (8 + n)];
                System.arraycopy(len, 0, head, 0, 8);
                System.arraycopy(json, 0, head, 8, json.length);
            }
            Map<String, long[]> out = new LinkedHashMap<>();
            for (Entry e : entries(head, name, size)) out.put(e.name(), e.shape());
            return out;
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
    }

    private static List<Entry> header(byte[] bytes, String name) throws NpyException {
        if (bytes.length < 8) throw new NpyException(name + ": not a safetensors file (" + bytes.length + " bytes, shorter than the 8-byte header length)");
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > bytes.length - 8) {
            throw new NpyException(name + ": header length " + Long.toUnsignedString(n) + " is larger than the file (" + bytes.length + " bytes)");
        }
        return entries(bytes, name, bytes.length);
    }

    /** Parses and checks the header in {@code bytes} (which hold at least the header) of a file of {@code fileSize} bytes. */
    private static List<Entry> entries(byte[] bytes, String name, long fileSize) throws NpyException {
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String json = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) throw new NpyException(name + ": not a safetensors file (the header is not a JSON object)");
            root = e.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw new NpyException(name + ": not a safetensors file (the header is not JSON: " + e.getMessage() + ")");
        }
        long dataSize = fileSize - 8 - n;
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> kv : root.entrySet()) {
            String t = kv.getKey();
            if (t.equals("__metadata__")) continue;
            String where = name + ": tensor " + t;
            if (!kv.getValue().isJsonObject()) throw new NpyException(where + " has no {dtype, shape, data_offsets} entry");
            JsonObject o = kv.getValue().getAsJsonObject();
            if (!o.has("dtype") || !o.has("shape") || !o.has("data_offsets")) throw new NpyException(where + " needs dtype, shape and data_offsets");
            String dtype = o.get("dtype").getAsString();
            int width = width(dtype);
            if (width == 0) {
                throw new NpyException(where + " has dtype " + dtype + ", which tn does not read (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
            }
            long[] shape = longs(o.get("shape"), where + ": shape");
            long[] offsets = longs(o.get("data_offsets"), where + ": data_offsets");
            if (offsets.length != 2 || offsets[0] > offsets[1]) throw new NpyException(where + ": data_offsets must be [begin, end] with begin <= end");
            long needed = count(shape) * width;
            if (offsets[1] - offsets[0] != needed) {
                throw new NpyException(where + ": data_offsets " + java.util.Arrays.toString(offsets) + " hold " + (offsets[1] - offsets[0])
                        + " bytes but " + dtype + " " + java.util.Arrays.toString(shape) + " needs " + needed);
            }
            if (offsets[1] > dataSize) {
                throw new NpyException(where + ": data_offsets end at byte " + offsets[1] + " but the file has " + dataSize
                        + " bytes of data (truncated?)");
            }
            if (count(shape) > Integer.MAX_VALUE - 8) throw new NpyException(where + " has " + count(shape) + " entries, more than one array can hold");
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

    private static long[] longs(JsonElement e, String what) throws NpyException {
        if (!e.isJsonArray()) throw new NpyException(what + " must be a list of whole numbers");
        JsonArray a = e.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int k = 0; k < out.length; k++) {
            try {
                out[k] = a.get(k).getAsLong();
                if (out[k] < 0 || a.get(k).getAsDouble() != out[k]) throw new NumberFormatException();
            } catch (RuntimeException ex) {
                throw new NpyException(what + " must be a list of whole numbers >= 0, not " + a);
            }
        }
        return out;
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

    private static long count(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /** Writes the arrays (float64 as F64, float32 as F32) in the given order. */
    public static void write(Path file, Map<String, NdData> arrays) throws IOException {
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        List<byte[]> chunks = new ArrayList<>();
        for (Map.Entry<String, NdData> e : arrays.entrySet()) {
            NdData x = e.getValue();
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
