package tn.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every file tn writes (arrays, diagrams, charts, saved sessions) is written through here: the
 * content goes to a temporary file in the target's folder, is forced to disk, and is renamed over
 * the target in one atomic step. A write that fails or is killed midway leaves the previous file
 * as it was (and no temporary behind, except after kill -9, which leaves a hidden
 * {@code .NAME.RANDOM.tn-tmp} file); a reader sees the old file or the new one, never a mix.
 * A symbolic link is followed (the file it points to is replaced); a device or pipe is written
 * to directly, as there is no file to replace.
 */
public final class AtomicWrite {
    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Temporaries are named {@code .STEM.RANDOM.tn-tmp}; the stem is cut so the name stays short. */
    static final String TEMP_SUFFIX = ".tn-tmp";
    private static final int TEMP_STEM_CHARS = 40;

    private AtomicWrite() {}

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces (or creates) {@code target} with what {@code content} writes, atomically. The
     * folder must exist. Any exception from {@code content} (or an interrupt of the thread, which
     * closes the channel) leaves the target untouched.
     */
    public static void write(Path target, Content content) throws IOException {
        Path file = target.toAbsolutePath();
        if (Files.isSymbolicLink(file)) {
            // Replace the file the link points to, not the link.
            file = Files.exists(file) ? file.toRealPath() : file.resolveSibling(Files.readSymbolicLink(file));
        }
        Path dir = file.getParent();
        if (Files.isDirectory(file)) throw new FileSystemException(target.toString(), null, "Is a directory");
        if (Files.exists(file) && !Files.isWritable(file)) {
            // A rename needs only the folder's permission: without this, a file the user made
            // read-only would be replaced anyway.
            throw new java.nio.file.AccessDeniedException(target.toString());
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A device or a pipe (-o /dev/stdout): nothing to replace, and a rename would put a
            // plain file in its place.
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                content.writeTo(out);
            }
            return;
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new NoSuchFileException(target.toString(), null, Files.exists(dir) ? "Not a directory" : "No such directory");
        }
        Path temp = createTemp(file);
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(new FilterOutputStream(out) {
                    @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

                    @Override public void close() throws IOException { out.flush(); } // the channel stays open for force()
                });
                out.flush();
                channel.force(true); // the data is on disk before the name points at it
            }
            copyPermissions(file, temp);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // A file system without atomic rename within a folder (rare): the content is
                // complete on disk, so only the replacement itself is not atomic.
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            forceDirectory(dir);
        } finally {
            if (!done) deleteQuietly(temp);
        }
    }

    /**
     * A new empty file beside the target, created with the usual permissions (umask), unlike
     * {@link Files#createTempFile}, which makes files only their owner can read.
     */
    private static Path createTemp(Path file) throws IOException {
        String name = file.getFileName().toString();
        String stem = name.length() > TEMP_STEM_CHARS ? name.substring(0, TEMP_STEM_CHARS) : name;
        if (Character.isLowSurrogate(stem.charAt(stem.length() - 1))) stem = stem.substring(0, stem.length() - 1);
        for (int attempt = 0; ; attempt++) {
            String random = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
            Path temp = file.resolveSibling("." + stem + "." + random + TEMP_SUFFIX);
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            } catch (IOException e) {
                throw retarget(e, file);
            }
        }
    }

    /** A failure to create the temporary, told about the target (the temporary's name means nothing to the user). */
    private static IOException retarget(IOException e, Path file) {
        if (e instanceof FileSystemException f) {
            FileSystemException t = e instanceof java.nio.file.AccessDeniedException
                    ? new java.nio.file.AccessDeniedException(file.toString(), null, f.getReason())
                    : e instanceof NoSuchFileException
                    ? new NoSuchFileException(file.toString(), null, f.getReason())
                    : new FileSystemException(file.toString(), null, f.getReason());
            t.initCause(e);
            return t;
        }
        return e;
    }

    /** A file that replaces another keeps the other's permissions (as editors do). */
    private static void copyPermissions(Path from, Path to) {
        try {
            PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
            if (source == null || !Files.exists(from)) return;
            Files.getFileAttributeView(to, PosixFileAttributeView.class).setPermissions(source.readAttributes().permissions());
        } catch (IOException | UnsupportedOperationException ignored) {
            // the new file keeps the default permissions
        }
    }

    /** Makes the rename itself durable (where the platform can sync a folder). */
    private static void forceDirectory(Path dir) {
        if (dir == null) return;
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform or file system can sync a folder; the file itself is synced
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the original failure is what the user needs to hear about
        }
    }
}
