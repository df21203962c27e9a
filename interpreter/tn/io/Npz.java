package tn.io;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import tn.exec.DType;

/**
 * Reading and writing numpy {@code .npz} archives: zip files whose entries {@code name.npy} each
 * hold one array, as made by {@code np.savez} (entries stored) and {@code np.savez_compressed}
 * (entries deflated). Arrays are keyed by entry name without {@code .npy}, in archive order;
 * entries that are not {@code .npy} files are not arrays and are skipped, as numpy does not load
 * them as arrays either.
 */
public final class Npz {
    private static final String SUFFIX = ".npy";

    private Npz() {}

    /** Reads every array in the archive. */
    public static Map<String, NdData> read(Path file) throws NpyException {
        String name = file.toString();
        try (ZipFile zip = open(file, name)) {
            Map<String, NdData> arrays = new LinkedHashMap<>();
            for (ZipEntry entry : arrayEntries(zip)) arrays.put(key(entry), readArray(zip, entry, name));
            return arrays;
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
    }

    /** Reads the array called {@code key}, leaving the others unread. */
    public static NdData read(Path file, String key) throws NpyException {
        String name = file.toString();
        try (ZipFile zip = open(file, name)) {
            return readArray(zip, find(zip, key, name), name);
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
    }

    /**
     * Reads the header of every array, without its data, checking that each entry is long enough
     * for the data its header declares.
     */
    public static Map<String, NpyHeader> readHeaders(Path file) throws NpyException {
        String name = file.toString();
        try (ZipFile zip = open(file, name)) {
            Map<String, NpyHeader> headers = new LinkedHashMap<>();
            for (ZipEntry entry : arrayEntries(zip)) headers.put(key(entry), readHeader(zip, entry, name));
            return headers;
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
    }

    /** Reads the header of the array called {@code key}. */
    public static NpyHeader readHeader(Path file, String key) throws NpyException {
        String name = file.toString();
        try (ZipFile zip = open(file, name)) {
            return readHeader(zip, find(zip, key, name), name);
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
    }

    /**
     * Writes the arrays uncompressed, like {@code np.savez}, in the map's iteration order (pass a
     * LinkedHashMap to choose it). Each array's dtype must be float32 or float64.
     *
     * @throws IllegalArgumentException for another dtype or data that does not fill its shape
     */
    public static void write(Path file, Map<String, NdData> arrays) throws IOException {
        write(file, sources(arrays), false);
    }

    /** Like {@link #write}, with every entry deflated, like {@code np.savez_compressed}. */
    public static void writeCompressed(Path file, Map<String, NdData> arrays) throws IOException {
        write(file, sources(arrays), true);
    }

    /** An array to write: its shape, type and entries (read in bounded chunks). */
    public record Source(long[] shape, DType dtype, Entries entries) {}

    /**
     * Writes arrays given by their entries, uncompressed, in the map's order. The file is
     * replaced atomically ({@link AtomicWrite}): a failed write leaves the previous file.
     */
    public static void writeSources(Path file, Map<String, Source> arrays) throws IOException {
        write(file, arrays, false);
    }

    /** Checks every array before anything is written, so a bad call leaves nothing half-written. */
    private static Map<String, Source> sources(Map<String, NdData> arrays) {
        Map<String, Source> out = new LinkedHashMap<>();
        for (Map.Entry<String, NdData> e : arrays.entrySet()) {
            NdData array = e.getValue();
            DType dtype = DType.parse(array.dtype());
            if (dtype == null) {
                throw new IllegalArgumentException("array '" + e.getKey() + "' has dtype " + array.dtype()
                        + "; tn writes float32 or float64");
            }
            if (!dtype.isComplex()) NpyWriter.validate(array.shape(), array.data());
            out.put(e.getKey(), new Source(array.shape(), dtype, Entries.of(array.data())));
        }
        return out;
    }

    private static void write(Path file, Map<String, Source> arrays, boolean compress) throws IOException {
        AtomicWrite.write(file, stream -> {
            ZipOutputStream zip = new ZipOutputStream(stream);
            for (Map.Entry<String, Source> e : arrays.entrySet()) {
                Source array = e.getValue();
                ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
                if (compress) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    // A stored entry's size and CRC go before its data, so compute them in a first
                    // pass that writes nowhere, rather than holding the bytes in memory.
                    CRC32 crc = new CRC32();
                    NpyWriter.write(new CheckedOutputStream(OutputStream.nullOutputStream(), crc),
                            array.shape(), array.entries(), array.dtype());
                    long size = NpyWriter.size(array.shape(), array.dtype());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(size);
                    entry.setCompressedSize(size);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                NpyWriter.write(zip, array.shape(), array.entries(), array.dtype());
                zip.closeEntry();
            }
            zip.finish(); // the central directory; AtomicWrite flushes and closes the file
        });
    }

    private static ZipFile open(Path file, String name) throws NpyException, IOException {
        if (Files.isDirectory(file)) throw new NpyException(name + ": is a directory, not a file");
        if (!Files.exists(file)) throw new NpyException(name + ": no such file");
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw notZip(file, name, e);
        }
    }

    /** Says what the file is instead, when that is easy to tell. */
    private static NpyException notZip(Path file, String name, ZipException cause) throws IOException {
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(NpyHeaderReader.MAGIC.length);
        }
        if (start.length == 0) return new NpyException(name + ": empty file (0 bytes)", cause);
        if (Arrays.equals(start, NpyHeaderReader.MAGIC)) {
            return new NpyException(name + ": not a .npz file (it is a single .npy array, not a zip archive)", cause);
        }
        return new NpyException(name + ": not a .npz file (it is not a zip archive)", cause);
    }

    private static List<ZipEntry> arrayEntries(ZipFile zip) {
        List<ZipEntry> entries = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            ZipEntry entry = en.nextElement();
            if (!entry.isDirectory() && entry.getName().endsWith(SUFFIX)) entries.add(entry);
        }
        return entries;
    }

    private static ZipEntry find(ZipFile zip, String key, String name) throws NpyException {
        ZipEntry entry = zip.getEntry(key + SUFFIX);
        if (entry != null && !entry.isDirectory()) return entry;
        List<String> keys = new ArrayList<>();
        for (ZipEntry e : arrayEntries(zip)) keys.add(key(e));
        throw new NpyException(name + ": no array named '" + key + "' ("
                + (keys.isEmpty() ? "it holds no arrays" : "it holds: " + String.join(", ", keys)) + ")");
    }

    private static String key(ZipEntry entry) {
        String n = entry.getName();
        return n.substring(0, n.length() - SUFFIX.length());
    }

    private static String entryName(String name, ZipEntry entry) {
        return name + ", array '" + key(entry) + "'";
    }

    /**
     * Reads one array and checks the entry as a whole against the archive's directory: its CRC-32
     * and its length (java.util.zip.ZipFile checks neither), so damaged data is refused rather
     * than loaded. The directory's length is not trusted for allocating: the array grows as its
     * data actually arrives.
     */
    private static NdData readArray(ZipFile zip, ZipEntry entry, String name) throws NpyException {
        String display = entryName(name, entry);
        try (Counting counted = new Counting(zip.getInputStream(entry));
                CheckedInputStream in = new CheckedInputStream(counted, new CRC32())) {
            NdData array = Npy.read(in, entry.getSize(), display, false);
            in.transferTo(OutputStream.nullOutputStream()); // the rest of the entry, for its CRC and length
            if (entry.getSize() >= 0 && counted.count != entry.getSize()) {
                throw new NpyException(display + ": the archive entry is damaged: it holds " + counted.count
                        + " bytes but the archive's directory says " + entry.getSize());
            }
            long crc = in.getChecksum().getValue();
            if (entry.getCrc() >= 0 && crc != entry.getCrc()) {
                throw new NpyException(display + ": the archive entry is damaged: its data does not match its CRC-32 checksum"
                        + String.format(java.util.Locale.ROOT, " (%08x; the archive says %08x)", crc, entry.getCrc()));
            }
            return array;
        } catch (IOException e) {
            throw damaged(display, e);
        }
    }

    /** Counts the bytes read through it. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    private static NpyHeader readHeader(ZipFile zip, ZipEntry entry, String name) throws NpyException {
        String display = entryName(name, entry);
        try (InputStream in = zip.getInputStream(entry)) {
            NpyHeader header = NpyHeaderReader.read(in, display);
            // The central directory records each entry's uncompressed size, so the length can be
            // checked without inflating the data; only when it is missing do we count.
            long size = entry.getSize() >= 0 ? entry.getSize() : header.dataOffset() + in.transferTo(OutputStream.nullOutputStream());
            NpyHeaderReader.checkDataLength(header, size - header.dataOffset(), display);
            return header;
        } catch (IOException e) {
            throw damaged(display, e);
        }
    }

    private static NpyException damaged(String display, IOException e) {
        String reason = e.getMessage() == null ? "input/output error" : e.getMessage();
        return new NpyException(display + ": the archive entry is damaged and cannot be read (" + reason + ")", e);
    }
}
