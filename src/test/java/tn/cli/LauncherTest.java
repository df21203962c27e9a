package tn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The `tn` launcher works from any directory and through symbolic links (the way it is put on
 * the PATH): it finds the project, its jar and its build where the real script lies, and keeps
 * the caller's directory. The launcher under test is a copy of ./tn in a project folder (with a
 * space in its name) whose `java` and `mvn` are stand-ins on the PATH that print what they are
 * asked, so the test needs bash but neither a build nor a JVM start.
 */
class LauncherTest {
    @TempDir Path tmp;
    Path root;
    Path elsewhere;
    Path fakes;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(bashFound(), () -> {
            System.err.println("LauncherTest: bash not found, the tn launcher is not tested");
            return "bash not found: the tn launcher is not tested";
        });
        root = Files.createDirectories(tmp.resolve("tn project"));
        Files.copy(Path.of("tn"), root.resolve("tn"));
        executable(root.resolve("tn"));
        Files.createDirectories(root.resolve("src/sh"));
        Files.copy(Path.of("src/sh/native-env.sh"), root.resolve("src/sh/native-env.sh"));
        Files.copy(Path.of("src/sh/cds-training.tn"), root.resolve("src/sh/cds-training.tn"));
        for (String dir : List.of("interpreter", "grammar", "stdlib")) Files.createDirectories(root.resolve(dir));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(root.resolve("target"));
        Files.writeString(root.resolve("target/tn.jar"), "");
        age(root.resolve("pom.xml"), 3600);
        for (String dir : List.of("interpreter", "grammar", "stdlib")) age(root.resolve(dir), 3600);
        elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        fakes = Files.createDirectories(tmp.resolve("fakes"));
        // The stand-in java lists the classes a training run loads (a line in the log, naming the
        // command and the first byte of its input), and fails to when FAIL_RECORDING is set; asked
        // to dump an archive, it logs that and writes the file.
        script(fakes.resolve("java"), "#!/usr/bin/env bash\n"
                + "for a in \"$@\"; do case \"$a\" in\n"
                + "-XX:DumpLoadedClassList=*)\n"
                + "  command=\"\"; after=\"\"; for b in \"$@\"; do [ \"$after\" = jar ] && { command=\"$b\"; break; }; [ \"$after\" = -jar ] && after=jar; [ \"$b\" = -jar ] && after=-jar; done\n"
                + "  echo \"listing classes: $command, input: $(head -c 1)\" >> \"" + fakes.resolve("recordings") + "\"\n"
                + "  [ -n \"${FAIL_RECORDING:-}\" ] && exit 1\n"
                + "  echo java/lang/Object > \"${a#*=}\"; exit 0 ;;\n"
                + "-Xshare:dump)\n"
                + "  echo \"dumping $(cat classes | tr '\\n' ' ')\" >> \"" + fakes.resolve("recordings") + "\"\n"
                + "  for b in \"$@\"; do case \"$b\" in -XX:SharedArchiveFile=*) echo archive > \"${b#*=}\" ;; esac; done; exit 0 ;;\n"
                + "esac; done\n"
                + "[ -n \"${SHOW_MALLOC:-}\" ] && echo \"malloc: ${MALLOC_TOP_PAD_:-unset} ${MALLOC_MMAP_THRESHOLD_:-unset}\" >&2\n"
                + "echo \"java in $PWD: $*\"\n");
        script(fakes.resolve("mvn"), "#!/usr/bin/env bash\necho \"mvn in $PWD\" >&2\ntouch target/tn.jar\n");
    }

    @Test
    void runsFromAnotherDirectory() throws Exception {
        Result r = bash("\"" + root.resolve("tn") + "\" run script.tn");
        assertEquals(0, r.code, r.err);
        assertEquals("java in " + elsewhere + ": " + jvmOptions() + " -Xms256m -jar " + root.resolve("target/tn.jar") + " run script.tn\n", r.out);
        assertEquals("", r.err, "nothing to build: the jar is newer than the sources");
    }

    @Test
    void runsThroughASymlinkOnThePath() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("home/.local/bin"));
        Files.createSymbolicLink(bin.resolve("tn"), root.resolve("tn"));
        Result r = bash("PATH=\"" + bin + ":$PATH\" tn --help");
        assertEquals(0, r.code, r.err);
        assertEquals("java in " + elsewhere + ": " + jvmOptions() + " -Xms256m -jar " + root.resolve("target/tn.jar") + " --help\n", r.out);
    }

    @Test
    void followsAChainOfRelativeSymlinks() throws Exception {
        Path links = Files.createDirectories(tmp.resolve("links"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(links.resolve("tn-real"), links.relativize(root.resolve("tn")));
        Files.createSymbolicLink(bin.resolve("tn"), Path.of("../links/tn-real"));
        Result r = bash("PATH=\"" + bin + ":$PATH\" tn check x.tn");
        assertEquals(0, r.code, r.err);
        assertEquals("java in " + elsewhere + ": " + jvmOptions() + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -jar " + root.resolve("target/tn.jar") + " check x.tn\n", r.out);
    }

    @Test
    void buildsInTheProjectWhenSourcesAreNewer() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("tn"), root.resolve("tn"));
        age(root.resolve("target/tn.jar"), 60);
        Files.writeString(root.resolve("interpreter/New.java"), "class New {}\n");
        Result r = bash("PATH=\"" + bin + ":$PATH\" tn run x.tn");
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("mvn in " + root + "\n"), "Maven must build in the project, not where the link is:\n" + r.err);
        assertEquals("java in " + elsewhere + ": " + jvmOptions() + " -Xms256m -jar " + root.resolve("target/tn.jar") + " run x.tn\n", r.out);
    }

    @Test
    void recordsTheClassArchiveOnceAfterEachBuild() throws Exception {
        Path archive = root.resolve("target/tn.jsa");
        assertEquals(0, bash("\"" + root.resolve("tn") + "\" check x.tn").code);
        assertEquals(List.of("listing classes: repl, input: #", "listing classes: draw, input: ", "dumping java/lang/Object "), recordings(),
                "the classes of the training session, fed to the REPL and drawn (with no input), listed once each and dumped once");
        assertEquals("archive\n", Files.readString(archive));
        assertEquals(0, bash("\"" + root.resolve("tn") + "\" check x.tn").code);
        assertEquals(3, recordings().size(), "an archive newer than the jar is used as it is");
        age(archive, 120);
        age(root.resolve("target/tn.jar"), 60);
        assertEquals(0, bash("\"" + root.resolve("tn") + "\" check x.tn").code);
        assertEquals(6, recordings().size(), "a jar newer than the archive (a new build) is recorded again");
    }

    @Test
    void aFailedRecordingIsNotRetriedBeforeTheNextBuild() throws Exception {
        Result r = bash("FAIL_RECORDING=1 \"" + root.resolve("tn") + "\" check x.tn");
        assertEquals(0, r.code, r.err);
        assertEquals("", r.err, "a failed recording is silent");
        assertEquals("java in " + elsewhere + ": " + jvmOptions() + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -jar " + root.resolve("target/tn.jar") + " check x.tn\n", r.out);
        assertEquals("", Files.readString(root.resolve("target/tn.jsa")), "an empty archive, which the JVM ignores");
        assertEquals(0, bash("FAIL_RECORDING=1 \"" + root.resolve("tn") + "\" check x.tn").code);
        assertEquals(1, recordings().size());
        assertTrue(Files.list(root.resolve("target")).noneMatch(f -> f.getFileName().toString().startsWith("tn.jsa.")), "no temporary archive left");
    }

    @Test
    void checkAndDrawRunWithTheQuickCompilerAndTheSerialCollector() throws Exception {
        for (String command : List.of("check", "draw", "run", "repl", "plan")) {
            Result r = bash("\"" + root.resolve("tn") + "\" " + command + " x.tn");
            assertEquals(0, r.code, r.err);
            String jit = command.equals("check") || command.equals("draw") ? " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData" : " -Xms256m";
            assertEquals("java in " + elsewhere + ": " + jvmOptions() + jit + " -jar " + root.resolve("target/tn.jar") + " " + command + " x.tn\n", r.out, command);
        }
    }

    @Test
    void theCommandsThatComputeKeepTheirNativeMemoryMapped() throws Exception {
        for (String command : List.of("run", "repl", "plan", "kernel", "check", "draw")) {
            Result r = bash("SHOW_MALLOC=1 \"" + root.resolve("tn") + "\" " + command + " x.tn");
            assertEquals(0, r.code, r.err);
            boolean computes = !command.equals("check") && !command.equals("draw");
            assertEquals(computes ? "malloc: 67108864 33554432\n" : "malloc: unset unset\n", r.err, command);
        }
        Result r = bash("SHOW_MALLOC=1 MALLOC_TOP_PAD_=4096 \"" + root.resolve("tn") + "\" run x.tn");
        assertEquals("malloc: 4096 33554432\n", r.err, "the user's own setting is kept");
    }

    @Test
    void theHeapIsOnHugePagesWhereTheKernelOffersThem() throws Exception {
        Path thp = tmp.resolve("enabled");
        String jar = " -jar " + root.resolve("target/tn.jar");
        for (String mode : List.of("always [madvise] never", "[always] madvise never", "always madvise [never]")) {
            Files.writeString(thp, mode + "\n");
            boolean offered = !mode.contains("[never]");
            for (String command : List.of("run", "repl", "kernel", "check", "draw")) {
                Result r = bash("TN_THP_FILE='" + thp + "' \"" + root.resolve("tn") + "\" " + command);
                boolean computes = !command.equals("check") && !command.equals("draw");
                String opts = computes ? " -Xms256m" + (offered ? " -XX:+UseTransparentHugePages" : "") : " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData";
                assertEquals("java in " + elsewhere + ": " + jvmOptions() + opts + jar + " " + command + "\n", r.out, mode + ": " + command);
            }
        }
        Files.writeString(thp, "always [madvise] never\n");
        Result r = bash("TN_THP_FILE='" + thp + "' TN_JAVA_OPTS='-XX:-UseTransparentHugePages' \"" + root.resolve("tn") + "\" run");
        assertEquals("java in " + elsewhere + ": " + jvmOptions() + " -Xms256m -XX:-UseTransparentHugePages" + jar + " run\n", r.out, "the user's own choice");
    }

    @Test
    void theHeapFloorGivesWayToAHeapTheUserSizes() throws Exception {
        Result r = bash("TN_JAVA_OPTS='-Xmx2g' \"" + root.resolve("tn") + "\" run x.tn");
        assertEquals(0, r.code, r.err);
        assertEquals("java in " + elsewhere + ": " + jvmOptions() + " -Xmx2g -jar " + root.resolve("target/tn.jar") + " run x.tn\n", r.out,
                "no -Xms256m beside the user's own heap size (a maximum under 256 MB would stop the JVM)");
        r = bash("TN_JAVA_OPTS='-Dx=1' \"" + root.resolve("tn") + "\" repl");
        assertEquals("java in " + elsewhere + ": " + jvmOptions() + " -Xms256m -Dx=1 -jar " + root.resolve("target/tn.jar") + " repl\n", r.out);
    }

    @Test
    void aReadOnlyInstallRunsWithoutRecording() throws Exception {
        Path target = root.resolve("target");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(target), "running as a user who can write anywhere (root): not testable here");
            Result r = bash("\"" + root.resolve("tn") + "\" run x.tn");
            assertEquals(0, r.code, r.err);
            assertEquals("", r.err);
            assertEquals(List.of(), recordings(), "no recording where target/ cannot be written");
            assertEquals("java in " + elsewhere + ": " + jvmOptions() + " -Xms256m -jar " + root.resolve("target/tn.jar") + " run x.tn\n", r.out);
        } finally {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** The options the launcher gives the JVM before -jar (then C1 only for check and draw). */
    private String jvmOptions() {
        return "-XX:SharedArchiveFile=" + root.resolve("target/tn.jsa") + " -Xlog:cds=off -XX:+ExplicitGCInvokesConcurrent";
    }

    private List<String> recordings() throws IOException {
        Path log = fakes.resolve("recordings");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    record Result(int code, String out, String err) {}

    /** Runs a bash command in {@link #elsewhere} with the stand-in java and mvn first on the PATH. */
    Result bash(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(elsewhere.toFile());
        pb.environment().put("PATH", fakes + ":" + System.getenv("PATH"));
        pb.environment().remove("TN_JAVA_OPTS");
        pb.environment().put("TN_THP_FILE", tmp.resolve("no-such-file").toString());
        pb.environment().remove("MALLOC_TOP_PAD_");
        pb.environment().remove("MALLOC_MMAP_THRESHOLD_");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        return new Result(p.exitValue(), out, err);
    }

    static boolean bashFound() {
        try {
            Process p = new ProcessBuilder("bash", "-c", "exit 0").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        executable(file);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void age(Path file, long seconds) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - seconds * 1000));
    }
}
