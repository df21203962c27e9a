package tn.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tn.exec.DType;

/**
 * Reading and writing numpy {@code .npy} files: the entry point the rest of tn uses.
 *
 * <p>Reads format versions 1.0, 2.0 and 3.0, either byte order, C or Fortran order, and the
 * element types float16/32/64, int8..int64, uint8..uint64 and bool; values come back as doubles
 * in C order. Writes version 1.0, C order, little-endian float32 or float64, byte-identical to
 * {@code numpy.save}. Messages of the {@link NpyException}s thrown are written for end users and
 * begin with the file's path as given.
 */
public final class Npy {
    private Npy() {}

    /** Reads a whole .npy file. */
    public static NdData read(Path file) throws NpyException {
        String name = file.toString();
        try (InputStream in = open(file, name)) {
            return read(in, Files.size(file), name);
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /** Reads .npy content held in memory; {@code displayName} is how messages refer to it. */
    public static NdData read(byte[] bytes, String displayName) throws NpyException {
        try {
            return read(new ByteArrayInputStream(bytes), bytes.length, displayName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a byte array cannot fail to be read
        }
    }

    /**
     * Reads only the header of a .npy file, leaving the data unread, and checks that the file is
     * long enough to hold the data the header declares.
     */
    public static NpyHeader readHeader(Path file) throws NpyException {
        String name = file.toString();
        try (InputStream in = open(file, name)) {
            NpyHeader header = NpyHeaderReader.read(in, name);
            NpyHeaderReader.checkDataLength(header, Files.size(file) - header.dataOffset(), name);
            return header;
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /**
     * Writes {@code data} (row-major, filling {@code shape} exactly) as a version 1.0 C-order
     * little-endian .npy file of {@code dtype}; float32 values are rounded to nearest.
     *
     * @throws IllegalArgumentException when {@code data.length} does not match {@code shape}
     */
    public static void write(Path file, long[] shape, double[] data, DType dtype) throws IOException {
        NpyWriter.validate(shape, data);  // before the file is created, so a bad call leaves nothing behind
        write(file, shape, Entries.of(data), dtype);
    }

    /**
     * Writes the array whose row-major entries {@code entries} gives, read in bounded chunks. The
     * file is replaced atomically ({@link AtomicWrite}): a failed write leaves the previous file.
     */
    public static void write(Path file, long[] shape, Entries entries, DType dtype) throws IOException {
        AtomicWrite.write(file, out -> NpyWriter.write(out, shape, entries, dtype));
    }

    /** The bytes {@link #write} would put in a file. */
    public static byte[] toBytes(long[] shape, double[] data, DType dtype) {
        NpyWriter.validate(shape, data);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                NpyWriter.size(shape, dtype)));
        try {
            NpyWriter.write(out, shape, data, dtype);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /**
     * Reads .npy content from a stream holding {@code size} bytes in all ({@code -1} when unknown,
     * in which case a short file is detected when the stream ends early).
     */
    static NdData read(InputStream in, long size, String name) throws NpyException, IOException {
        return read(in, size, name, true);
    }

    /**
     * As {@link #read(InputStream, long, String)}; {@code trusted} says whether {@code size} is
     * known to be right (a file's size), or only claimed (a zip directory's), in which case
     * memory is taken as the data arrives rather than for what the header declares.
     */
    static NdData read(InputStream in, long size, String name, boolean trusted) throws NpyException, IOException {
        NpyHeader header = NpyHeaderReader.read(in, name);
        // Checking the length up front gives the exact shortfall before any large allocation.
        if (size >= 0) NpyHeaderReader.checkDataLength(header, size - header.dataOffset(), name);
        return new NdData(header.shape(), NpyDataReader.read(in, header, name, trusted && size >= 0), header.dtype());
    }

    private static InputStream open(Path file, String name) throws NpyException, IOException {
        if (Files.isDirectory(file)) throw new NpyException(name + ": is a directory, not a file");
        return new BufferedInputStream(Files.newInputStream(file));
    }

    /** Turns a failure of the file system into a message for the user. */
    static NpyException unreadable(String name, IOException e) {
        if (e instanceof NoSuchFileException) return new NpyException(name + ": no such file", e);
        if (e instanceof AccessDeniedException) return new NpyException(name + ": permission denied", e);
        String reason = e.getMessage() == null ? "input/output error" : e.getMessage();
        return new NpyException(name + ": could not be read (" + reason + ")", e);
    }
}
