package tn.io;

/**
 * A .npy or .npz file that tn cannot read. The message is meant to be shown to the user as is:
 * it starts with the file name and says exactly what is wrong, with the numbers involved.
 */
public class NpyException extends Exception {
    private static final long serialVersionUID = 1L;

    public NpyException(String message) {
        super(message);
    }

    public NpyException(String message, Throwable cause) {
        super(message, cause);
    }
}
