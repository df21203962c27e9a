package tn.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tn.kernel.Kernel;
import tn.kernel.KernelSpec;

/** `tn kernel install` and `tn kernel -f FILE`: the options; the kernel itself is tn.kernel. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = {"A Jupyter kernel for tn: a notebook's cells run in one session, as in the REPL.",
            "",
            "  tn kernel install            registers the kernel with Jupyter (once)",
            "  jupyter lab                  then pick the \"tn\" kernel for a notebook",
            "",
            "A cell runs like a REPL input: an expression shows its value (tensors as a",
            "table with their legs), a failing statement leaves the session as it was, and",
            "the error points at the cell (<cell 3>:2:7). draw(x), heatmap(M) and",
            "plot_spectrum(S) show their image in the notebook; the file name is optional",
            "there. A cell that starts with ':' holds REPL commands (:plan x, :legs).",
            "Interrupting the kernel cancels the running statement.",
            "",
            "Jupyter runs `tn kernel -f CONNECTION_FILE` itself (the kernelspec's command)."},
        subcommands = {KernelCommandLine.Install.class})
final class KernelCommandLine implements Callable<Integer> {
    @Option(names = {"-f", "--connection-file"}, paramLabel = "CONNECTION_FILE",
            description = "the connection file Jupyter writes (ports and key); Jupyter passes it")
    Path connectionFile;

    @Override
    public Integer call() {
        if (connectionFile == null) {
            Main.Streams.err.println("error: tn kernel needs -f CONNECTION_FILE (Jupyter starts it that way);"
                    + " to register tn with Jupyter: tn kernel install (see 'tn kernel --help')");
            return CommandLine.ExitCode.USAGE;
        }
        double limit = Driver.defaultMemoryLimit();
        WarmUp.parser();
        try {
            return Kernel.serve(connectionFile, (out, err) -> new tn.repl.Session(Backends.nd4jInBackground(), new tn.plan.Planner(),
                    out, err, limit, new tn.interp.Settings(), "auto"));
        } catch (java.nio.file.NoSuchFileException e) {
            Main.Streams.err.println("error: tn kernel: no connection file " + connectionFile);
        } catch (IOException e) {
            Main.Streams.err.println("error: tn kernel: cannot read " + connectionFile + ": " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException | com.google.gson.JsonParseException e) {
            // a connection file that is not one, or a port that is taken
            Main.Streams.err.println("error: tn kernel: " + e.getMessage());
        }
        return 1;
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Registers the tn kernel with Jupyter.",
                "",
                "Writes a kernelspec (kernel.json) for the current user, in",
                "~/.local/share/jupyter/kernels/NAME (or under JUPYTER_DATA_DIR), or with",
                "--prefix in PREFIX/share/jupyter/kernels/NAME for a virtual environment",
                "(--prefix \"$VIRTUAL_ENV\"). The kernel runs this checkout's tn, so install",
                "again if it moves. `jupyter kernelspec list` shows where it went."})
    static final class Install implements Callable<Integer> {
        @Option(names = "--prefix", paramLabel = "DIR", description = "install into DIR/share/jupyter/kernels (a venv or conda env)")
        Path prefix;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "tn", description = "the kernel's name (default: tn)")
        String name = "tn";

        @Option(names = "--display-name", paramLabel = "TEXT", defaultValue = "tn",
                description = "the name notebooks show (default: tn)")
        String displayName = "tn";

        @Override
        public Integer call() {
            if (!KernelSpec.validName(name)) {
                Main.Streams.err.println("error: --name may hold letters, digits, '.', '_' and '-' only, not '" + name + "'");
                return CommandLine.ExitCode.USAGE;
            }
            Path kernels = prefix != null ? KernelSpec.prefixKernels(prefix) : KernelSpec.userKernels();
            try {
                Path dir = KernelSpec.install(kernels, name, displayName);
                Main.Streams.out.println("installed the Jupyter kernel '" + name + "' in " + dir);
                return 0;
            } catch (IOException e) {
                Main.Streams.err.println("error: cannot write the kernelspec in " + kernels + ": " + e.getMessage());
                return 1;
            }
        }
    }
}
