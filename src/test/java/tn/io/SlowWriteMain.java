package tn.io;

import java.nio.file.Path;
import tn.exec.DType;

/**
 * A child process for {@link KillDuringWriteTest}: rewrites the .npy file named by its argument
 * with an array whose entries come slowly, saying "writing" once the first chunk is asked for, so
 * the parent can kill it mid-write.
 */
public final class SlowWriteMain {
    private SlowWriteMain() {}

    public static void main(String[] args) throws Exception {
        Entries slow = (from, into, count) -> {
            if (from == 0) {
                System.out.println("writing");
                System.out.flush();
            }
            java.util.Arrays.fill(into, 0, count, 7.0);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Npy.write(Path.of(args[0]), new long[] {1 << 24}, slow, DType.FLOAT32); // 256 chunks: about 5 s
        System.out.println("finished");
    }
}
