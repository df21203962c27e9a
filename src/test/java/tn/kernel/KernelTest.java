package tn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.cli.Main;

/**
 * The kernel for real: `tn kernel install --prefix` writes a kernelspec, and
 * src/test/resources/kernel/kernel_test.py starts the kernel through jupyter_client, executes
 * examples/notebooks/tour.ipynb with nbclient (its outputs must equal the ones stored in it;
 * -Dtn.golden.update=true stores new ones), and checks completion, inspection, is_complete, an
 * error cell, an interrupt and the shutdown. Needs a Python with jupyter_client and nbclient
 * (Debian: python3-jupyter-client python3-nbclient; .ci/run installs them); skipped with a
 * message on standard error without one. TN_PYTHON names another Python to use.
 */
class KernelTest {
    @TempDir Path tmp;

    @Test
    void notebookAndRequestsThroughJupyterClient() throws Exception {
        String python = python();
        Assumptions.assumeTrue(python != null, () -> {
            String why = "KernelTest skipped: no Python with jupyter_client and nbclient (install python3-jupyter-client and "
                    + "python3-nbclient, or set TN_PYTHON); the Jupyter kernel is not tested";
            System.err.println(why);
            return why;
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"kernel", "install", "--prefix", tmp.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Path spec = tmp.resolve("share/jupyter/kernels/tn/kernel.json");
        JsonObject json = JsonParser.parseString(Files.readString(spec)).getAsJsonObject();
        assertEquals("message", json.get("interrupt_mode").getAsString());
        assertEquals("{connection_file}", json.getAsJsonArray("argv").get(json.getAsJsonArray("argv").size() - 1).getAsString());

        List<String> command = new ArrayList<>(List.of(python, "src/test/resources/kernel/kernel_test.py",
                "--notebook", "examples/notebooks/tour.ipynb", "--directory", "examples/notebooks"));
        if (Boolean.getBoolean("tn.golden.update")) command.add("--update");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JUPYTER_PATH", tmp.resolve("share/jupyter").toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", Files.createDirectories(tmp.resolve("runtime")).toString());
        pb.environment().put("JUPYTER_PLATFORM_DIRS", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        System.out.print(log);
        assertTrue(done, "kernel_test.py did not finish in 180 s:\n" + log);
        assertEquals(0, p.exitValue(), "kernel_test.py failed:\n" + log);
        assertTrue(log.strip().endsWith("ok"), log);
    }

    /** A Python that has jupyter_client, nbclient and nbformat, or null. */
    private static String python() throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("TN_PYTHON") != null) candidates.add(System.getenv("TN_PYTHON"));
        candidates.addAll(List.of("/usr/bin/python3", "python3"));
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import jupyter_client, nbclient, nbformat").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return c;
            } catch (IOException e) {
                // not installed there
            }
        }
        return null;
    }
}
