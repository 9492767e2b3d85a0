package dev.vsa.cli.launcher;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the repository's real {@code ./vsa} launcher in a fake checkout whose {@code mvnw} "builds" a tiny jar
 * (main class {@link LauncherProbe}, printing the {@code probe.txt} of the sources): the launcher builds when the
 * sources are newer than its last build, not otherwise, and a process it started survives a build rewriting
 * {@code cli/target/vsa.jar} in place (as {@code ./mvnw -B verify} does).
 */
class LauncherTest {
    private static final String JVM_FLAGS = "cli/src/dist/lib/jvm-flags.sh";

    @TempDir
    Path repo;

    @BeforeEach
    void fakeCheckout() throws IOException, URISyntaxException {
        Path root = Path.of(System.getProperty("vsa.repo.root", "..")).toAbsolutePath().normalize();
        Files.createDirectories(repo.resolve(".mvn"));
        Files.copy(root.resolve("vsa"), repo.resolve("vsa"));
        Files.copy(root.resolve(".mvn/find-jdk.sh"), repo.resolve(".mvn/find-jdk.sh"));
        Files.createDirectories(repo.resolve("cli/src/dist/lib"));
        Files.copy(root.resolve(JVM_FLAGS), repo.resolve(JVM_FLAGS));
        Files.writeString(repo.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(repo.resolve("cli/target"));
        Path classes = repo.resolve("cli/src/main/probe");
        Path testClasses = Path.of(LauncherProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path pkg = testClasses.resolve("dev/vsa/cli/launcher");
        Files.createDirectories(classes.resolve("dev/vsa/cli/launcher"));
        try (Stream<Path> s = Files.list(pkg)) {
            for (Path c : s.filter(p -> p.getFileName().toString().startsWith("LauncherProbe")).toList()) {
                Files.copy(c, classes.resolve("dev/vsa/cli/launcher").resolve(c.getFileName()));
            }
        }
        // The launcher runs dev.vsa.cli.Main from the jar, and records its AOT cache by running dev.vsa.cli.AotTraining
        // (which also copies zstd-jni's library where vsa.training.zstd says): the fake jar's stand-ins hand over to
        // the probe, which logs that they ran.
        Path training = repo.resolve("training-src/dev/vsa/cli/AotTraining.java");
        Files.createDirectories(training.getParent());
        Files.writeString(training, "package dev.vsa.cli;\npublic final class AotTraining {\n"
                + "    public static void main(String[] a) throws Exception {\n"
                + "        java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty(\"vsa.training.zstd\")), \"lib\");\n"
                + "        dev.vsa.cli.launcher.LauncherProbe.main(new String[] {\"aot-training\", String.join(\" \", a)});\n"
                + "    }\n}\n");
        Path main = repo.resolve("training-src/dev/vsa/cli/Main.java");
        Files.writeString(main, "package dev.vsa.cli;\npublic final class Main {\n"
                + "    public static void main(String[] a) throws Exception {\n"
                + "        dev.vsa.cli.launcher.LauncherProbe.main(a);\n"
                + "    }\n}\n");
        int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-cp", testClasses.toString(), "-d", classes.toString(), training.toString(), main.toString());
        assertEquals(0, compiled, "the AotTraining stand-in compiles");
        Files.writeString(classes.resolve("probe.txt"), "v1\n");
        String jar = Path.of(System.getProperty("java.home"), "bin", "jar").toString();
        Path mvnw = repo.resolve("mvnw");
        Files.writeString(mvnw, "#!/bin/sh\nset -e\ncd \"$(dirname \"$0\")\"\necho build >> builds.log\n"
                + "rm -f cli/target/vsa.jar\n'" + jar + "' --create --file cli/target/vsa.jar"
                + " --main-class dev.vsa.cli.launcher.LauncherProbe -C cli/src/main/probe .\n");
        assertTrue(mvnw.toFile().setExecutable(true) && repo.resolve("vsa").toFile().setExecutable(true));
    }

    private ProcessBuilder launcher(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(repo.resolve("vsa").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("VSA_REBUILD");
        return pb;
    }

    private static Path root() {
        return Path.of(System.getProperty("vsa.repo.root", "..")).toAbsolutePath().normalize();
    }

    private String run(String... args) throws IOException, InterruptedException {
        Process p = launcher(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Runs the launcher; stdout and stderr apart. */
    private String[] runApart(ProcessBuilder pb) throws IOException, InterruptedException {
        Path err = repo.resolve("stderr.txt");
        Process p = pb.redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        String errText = Files.readString(err);
        assertEquals(0, p.exitValue(), out + errText);
        return new String[] {out, errText};
    }

    private List<String> caches() throws IOException {
        try (Stream<Path> s = Files.list(repo.resolve("cli/target/launch"))) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".aot") || n.endsWith(".jsa")
                    || n.contains(".aot.")).sorted().toList();
        }
    }

    private long builds() throws IOException {
        Path log = repo.resolve("builds.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    @Test
    void launcher_buildsOnlyWhenSourcesChanged() throws Exception {
        String first = run();
        assertTrue(first.contains("probe v1"));
        assertEquals(1, builds());
        // a fresh clone has no build yet: no source "changed" (the launcher said so on every first build)
        assertTrue(first.contains("first build") && !first.contains("sources changed"), first);
        assertTrue(run().contains("probe v1"));
        assertEquals(1, builds(), "nothing changed: no build");

        // an edit (or a git pull) makes a source newer than the last build
        Path source = repo.resolve("cli/src/main/probe/probe.txt");
        Files.writeString(source, "v2\n");
        Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis() + 2000));
        String changed = run();
        assertTrue(changed.contains("probe v2"), "the launcher runs the sources checked out");
        assertTrue(changed.contains("sources changed since the last build"), changed);
        assertEquals(2, builds());

        ProcessBuilder forced = launcher();
        forced.environment().put("VSA_REBUILD", "1");
        Process p = forced.redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, builds(), "VSA_REBUILD=1 builds");
    }

    /**
     * On JDK 25+ the launcher records an AOT cache once per build and JDK (from a run of cli's AotTraining) and then starts
     * every command with it; its notes never reach stdout (where {@code --json} goes); VSA_CDS=0 turns it off.
     */
    @Test
    void classCache_recordedOnceAndQuiet() throws Exception {
        ProcessBuilder off = launcher("--json");
        off.environment().put("VSA_CDS", "0");
        assertEquals("probe v1\n", runApart(off)[0]);
        assertEquals(List.of(), caches(), "VSA_CDS=0: no cache");

        String[] first = runApart(launcher("--json"));
        assertEquals("probe v1\n", first[0], "stdout holds only the command's output");
        String[] second = runApart(launcher("--json"));
        assertEquals("probe v1\n", second[0]);
        assertEquals("", second[1], "nothing recorded or reported again");
        List<String> caches = caches();
        assertEquals(1, caches.size(), caches::toString);
        if (Runtime.version().feature() >= 25) {
            assertTrue(caches.get(0).endsWith(".aot"), caches::toString);
            assertTrue(first[1].contains("recording the class cache"), first[1]);
            assertTrue(Files.readString(repo.resolve("probe-args.log")).contains("aot-training"),
                    "recorded from the training run (cli's AotTraining)");
        } else {
            assertTrue(caches.get(0).endsWith(".jsa"), caches::toString);
        }
        assertEquals(1, builds());
    }

    /** convert starts from a cache of its own, recorded once from conversions alone ({@code AotTraining DIR convert}). */
    @Test
    void classCache_ofItsOwnForConvert() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25+");
        assertEquals("probe v1\n", runApart(launcher("--version"))[0]);
        assertEquals(1, caches().size());
        assertEquals("probe v1\n", runApart(launcher("convert", "a.ply", "b.spz"))[0]);
        List<String> caches = caches();
        assertEquals(2, caches.size(), caches::toString);
        assertTrue(caches.stream().anyMatch(n -> n.endsWith("-convert.aot")), caches::toString);
        assertTrue(Files.readAllLines(repo.resolve("probe-args.log")).stream()
                .anyMatch(l -> l.startsWith("aot-training ") && l.endsWith(" convert")), "trained on conversions");
        assertEquals("", runApart(launcher("convert", "a.ply", "b.spz"))[1], "recorded once");
        assertEquals(2, caches().size());
        assertEquals(1, builds());
    }

    /**
     * serve starts from a cache of its own, recorded once from a server serving ({@code AotTraining DIR serve}): the
     * demo's cache holds none of the server's classes, which a fresh server's first clients hit all at once.
     */
    @Test
    void classCache_ofItsOwnForServe() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25+");
        for (int i = 0; i < 2; i++) {
            Process p = launcher("serve").redirectError(repo.resolve("stderr.txt").toFile()).start();
            p.getOutputStream().close(); // the probe's "request": it answers and exits
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
            assertEquals("probe v1\nready\nlate class loaded\n", out);
        }
        List<String> caches = caches();
        assertEquals(List.of(true), caches.stream().map(n -> n.endsWith("-serve.aot")).toList(), caches::toString);
        List<String> log = Files.readAllLines(repo.resolve("probe-args.log"));
        assertEquals(1, log.stream().filter(l -> l.startsWith("aot-training ") && l.endsWith(" serve")).count(),
                "trained once, on serving");
        assertTrue(log.stream().filter(l -> l.startsWith("jvm ")).allMatch(l -> l.contains("-serve.aot")), log::toString);
        // zstd-jni loads its library from the copy the training made, not from a temporary file of its own
        assertTrue(log.stream().filter(l -> l.startsWith("jvm ")).allMatch(l -> l.contains("-DZstdNativePath=")
                && l.contains("-zstd-jni.lib")), log::toString);
        assertEquals(2, log.stream().filter(l -> l.startsWith("jvm ")).count(), log::toString);
    }

    @Test
    void runningProcess_survivesBuildRewritingTheJar() throws Exception {
        Process server = launcher("serve").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                // build messages, the probe's first line
            }
            assertEquals("ready", line);
            // what a concurrent `./mvnw verify` does to the jar: rewrite it in place
            try (FileChannel ch = FileChannel.open(repo.resolve("cli/target/vsa.jar"), StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap("half-written jar".getBytes(StandardCharsets.UTF_8)));
            }
            try (OutputStream in = server.getOutputStream()) {
                in.write("request\n".getBytes(StandardCharsets.UTF_8));
            }
            String rest = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
            assertTrue(rest.contains("late class loaded"), rest);
            assertEquals(0, server.exitValue(), rest);
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * ./vsa, the distribution archive's bin/vsa and the container's entry point give each command the same JIT and
     * GC flags: all three source one table ({@code cli/src/dist/lib/jvm-flags.sh}). Each runs a stand-in JDK here
     * whose {@code java} only writes down its arguments (no JVM starts).
     */
    @Test
    void jvmFlags_sameFromEveryLauncher() throws Exception {
        run(); // builds the probe jar (with the real JDK)
        Path jdk = repo.resolve("fake-jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.3\"\n");
        Files.writeString(jdk.resolve("bin/java"), "#!/bin/sh\necho \"$*\" > java-args.log\n");
        Files.writeString(jdk.resolve("bin/javac"), "#!/bin/sh\nexit 1\n");
        Path app = repo.resolve("dist/vsa");
        Files.createDirectories(app.resolve("bin"));
        Files.createDirectories(app.resolve("lib"));
        Files.copy(root().resolve("cli/src/dist/bin/vsa"), app.resolve("bin/vsa"));
        Files.copy(root().resolve(JVM_FLAGS), app.resolve("lib/jvm-flags.sh"));
        Path image = repo.resolve("image/opt/vsa");
        Files.createDirectories(image);
        Files.copy(root().resolve("deploy/docker/vsa"), image.resolve("vsa"));
        Files.copy(root().resolve(JVM_FLAGS), image.resolve("jvm-flags.sh"));
        for (Path x : List.of(jdk.resolve("bin/java"), jdk.resolve("bin/javac"), app.resolve("bin/vsa"), image.resolve("vsa"))) {
            assertTrue(x.toFile().setExecutable(true), x.toString());
        }

        List<List<String>> commands = List.of(List.of("serve"), List.of("worker"), List.of("validate", "a.glb"),
                List.of("inspect", "a.ply"), List.of("render", "a.ply"), List.of("convert", "a.ply", "b.glb"),
                List.of("convert", "a.sog", "b.ply"), List.of("convert", "meta.json", "b.ply"), List.of("convert", "a.spz", "b.ply"),
                List.of("convert", "a.ply", "b.compressed.ply"), List.of("convert", "a.ply", "--to", "compressed-ply", "o"),
                List.of("convert", "a.ply", "--to=compressed-ply", "o"), List.of("convert", "a.ply", "--to", "glb", "o"),
                List.of("convert", "a.spz", "b.glb"), List.of("merge", "a.ply", "b.ply"),
                List.of("diff", "a.ply", "b.ply"), List.of("--version"));
        int n = 0;
        for (List<String> command : commands) {
            List<String> seen = new java.util.ArrayList<>();
            for (Path launcher : List.of(repo.resolve("vsa"), app.resolve("bin/vsa"), image.resolve("vsa"))) {
                Path dir = Files.createDirectories(repo.resolve("runs/" + n++));
                List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString()));
                cmd.addAll(command);
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
                pb.environment().put("JAVA_HOME", jdk.toString());
                pb.environment().put("PATH", jdk.resolve("bin") + ":" + System.getenv("PATH")); // the image's java
                pb.environment().put("VSA_CDS", "0");
                pb.environment().remove("VSA_JAVA_OPTS");
                pb.environment().remove("JAVA_OPTS");
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
                assertEquals(0, p.exitValue(), launcher + " " + command + ": " + out);
                seen.add(Stream.of(Files.readString(dir.resolve("java-args.log")).trim().split(" "))
                        .filter(a -> a.startsWith("-XX:TieredStopAtLevel") || a.matches("-XX:[+-]Use.*")
                                || a.startsWith("-Xlog:pagesize"))
                        .collect(java.util.stream.Collectors.joining(" ")));
            }
            assertEquals(1, seen.stream().distinct().count(), command + ": " + seen);
            if (command.equals(List.of("serve"))) {
                assertTrue(seen.get(0).contains("-XX:TieredStopAtLevel=1"), seen.get(0));
            }
            if (command.equals(List.of("convert", "a.ply", "b.glb")) || command.equals(List.of("convert", "a.ply", "--to", "glb", "o"))) {
                assertTrue(seen.get(0).contains("-XX:TieredStopAtLevel=1"), command + ": PLY -> GLB runs on C1: " + seen.get(0));
            }
            if (command.equals(List.of("convert", "a.spz", "b.glb"))) {
                assertFalse(seen.get(0).contains("TieredStopAtLevel"), command + ": " + seen.get(0));
            }
            if (command.equals(List.of("convert", "a.spz", "b.ply")) || command.equals(List.of("convert", "a.sog", "b.ply"))) {
                assertTrue(seen.get(0).contains("-XX:+UseSerialGC"), command + ": " + seen.get(0));
            }
            if (command.equals(List.of("worker"))) {
                assertEquals("", seen.get(0), "a worker keeps the JVM's defaults");
            }
        }
        // A collector the user names wins: the table's is left out (the JVM refuses to start with two).
        for (Path launcher : List.of(repo.resolve("vsa"), app.resolve("bin/vsa"), image.resolve("vsa"))) {
            Path dir = Files.createDirectories(repo.resolve("runs/" + n++));
            ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "convert", "a.sog", "b.ply")
                    .directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", jdk.toString());
            pb.environment().put("PATH", jdk.resolve("bin") + ":" + System.getenv("PATH"));
            pb.environment().put("VSA_CDS", "0");
            pb.environment().put("VSA_JAVA_OPTS", "-XX:+UseG1GC");
            pb.environment().put("JAVA_OPTS", "-XX:+UseG1GC");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
            assertEquals(0, p.exitValue(), launcher + ": " + out);
            String args = Files.readString(dir.resolve("java-args.log"));
            assertFalse(args.contains("-XX:+UseSerialGC"), launcher + ": " + args);
            assertTrue(args.contains("-XX:+UseG1GC") && args.contains("-XX:TieredStopAtLevel=1"), launcher + ": " + args);
        }
    }
}
