package tn.io;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Why a file could not be written, in words for the message {@code cannot write NAME: REASON}.
 * Java's exceptions often carry only the path ({@code AccessDeniedException: /x}); the reason
 * comes from the exception's type or the operating system's text, which is matched loosely
 * because its wording is the C library's.
 */
public final class WriteFailure {
    private WriteFailure() {}

    public static String reason(IOException e) {
        if (e instanceof ClosedByInterruptException) return "interrupted (the previous file, if any, is unchanged)";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof DirectoryNotEmptyException) return "it is a directory";
        if (e instanceof FileAlreadyExistsException f) {
            return "a part of its path is a file, not a directory" + (f.getFile() != null ? " (" + f.getFile() + ")" : "");
        }
        String os = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        String words = os == null ? null : words(os);
        if (words != null) return words;
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (os == null || os.isBlank()) return "input/output error (" + e.getClass().getSimpleName() + ")";
        return os.substring(0, 1).toLowerCase(Locale.ROOT) + os.substring(1);
    }

    /** The operating system's reason in tn's words, or null when it is not one of the usual ones. */
    private static String words(String os) {
        String r = os.toLowerCase(Locale.ROOT);
        if (r.contains("no space left")) return "the disk is full (no space left on device)";
        if (r.contains("quota")) return "disk quota exceeded";
        if (r.contains("read-only file system")) return "read-only file system";
        if (r.contains("is a directory")) return "it is a directory";
        if (r.contains("not a directory")) return "a part of its path is a file, not a directory";
        if (r.contains("no such directory")) return "no such directory";
        if (r.contains("file name too long")) return "file name too long (each name in a path may have at most 255 bytes)";
        if (r.contains("permission denied") || r.contains("operation not permitted")) return "permission denied";
        if (r.contains("no such file")) return "no such file or directory";
        return null;
    }
}
