package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.concurrent.TimeUnit;

import org.habeas.ledger.LogVerifier;
import org.habeas.ledger.Note;
import org.habeas.ledger.StaticLog;
import org.habeas.ledger.Tiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./habeas} launcher on the packaged application jar, as a user runs it: exit codes, stdout and
 * stderr, and no server or database for the short commands. Runs after {@code package} (Failsafe).
 */
class LauncherIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err, long millis) {
    }

    private Run habeas(String... args) throws IOException, InterruptedException {
        return habeas(Map.of(), args);
    }

    private Run habeas(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("habeas").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("HABEAS_JAR", System.getProperty("habeas.jar"));
        pb.environment().put("HABEAS_HOME", dir.resolve("home").toString());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")),
                millis);
    }

    @Test
    void validateExitsZeroForAGoodFileAndTwoForABadOne() throws Exception {
        Path good = dir.resolve("good.json");
        Files.copy(ROOT.resolve("app/src/main/resources/demo/04-gb-kidnap-emergency.json"), good);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(good, StandardCharsets.UTF_8)
                .replace("\"EMERGENCY_DISCLOSURE\"", "\"PRESERVATION\"")
                .replace("\"GB\"", "\"UK\""));

        Run ok = habeas("validate", good.toString());
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("good.json: valid");

        Run refused = habeas("validate", bad.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err().lines()).containsExactly(
                bad + ": /requestingState: 'UK' is not an ISO 3166-1 alpha-2 country code");
        assertThat(refused.out()).isEmpty();

        // no web server, no database: nothing was created under HABEAS_HOME
        assertThat(dir.resolve("home")).doesNotExist();
    }

    @Test
    void auditOfAFreshInstallationIsClean() throws Exception {
        Run audit = habeas("audit");
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("clean: 0 cases, 0 log entries checked, 0 problems");
        // the audit only reads: it created no database and no key under HABEAS_HOME
        assertThat(dir.resolve("home/db")).doesNotExist();
        assertThat(dir.resolve("home/ledger/log-key")).doesNotExist();
    }

    @Test
    void versionAndHelpAnswer() throws Exception {
        Run version = habeas("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("Habeas " + System.getProperty("habeas.version"));
        Run help = habeas("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("serve").contains("validate");
        Run unknown = habeas("--no-such-option");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option");
    }

    /** A log of {@code size} entries written out as files, as {@code log verify --mirror} keeps one; its vkey. */
    private String mirror(Path to, int size) throws Exception {
        java.security.KeyPair key = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        StaticLog log = new StaticLog(IntStream.range(0, size)
                .mapToObj(i -> ("{\"entry\":" + i + "}").getBytes(StandardCharsets.UTF_8)).toList(), "example.org/log", key);
        LogVerifier.Fetcher files = log.fetcher();
        List<String> paths = new ArrayList<>(List.of("checkpoint"));
        for (Tiles.Tile t : Tiles.all(size)) {
            paths.add(t.path());
            if (t.level() == 0) {
                paths.add(t.entriesPath());
            }
        }
        for (String path : paths) {
            Path file = to.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, files.get(path).body());
        }
        return new Note.Verifier("example.org/log", Note.ED25519, Note.raw(key.getPublic())).encoded();
    }

    @Test
    void logVerifyStartsFromAnAotCacheOfItsFirstRunWithTheSameOutput() throws Exception {
        assertThat(Runtime.version().feature()).as("the launcher's JDK here makes AOT caches").isGreaterThanOrEqualTo(25);
        Path mirror = dir.resolve("mirror");
        String vkey = mirror(mirror, 1000);
        Path cache = dir.resolve("cache/habeas/log-verify.aot");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
        String[] check = {"log", "verify", mirror.toUri().toString(), "--vkey", vkey, "--state", "STATE"};

        // the first check records what it loads, and the cache is made from it
        Run first = habeas(env, state(check, "s1"));
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("valid: example.org/log at size 1000,");
        assertThat(cache).isNotEmptyFile();
        String key = Files.readString(Path.of(cache + ".key"));

        // a later one starts from it: the same answer, nothing from the JVM on either stream
        Run second = habeas(env, state(check, "s2"));
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(first.out().replace("s1", "s2"));
        assertThat(second.err()).isEmpty();
        assertThat(Files.readString(Path.of(cache + ".key"))).isEqualTo(key);

        // a cache the JVM cannot read is not used, silently; other JVM options make a new one
        Files.write(cache, new byte[4096]);
        Run damaged = habeas(env, state(check, "s3"));
        assertThat(damaged.exit()).as(damaged.err()).isZero();
        assertThat(damaged.out()).isEqualTo(first.out().replace("s1", "s3"));
        assertThat(damaged.err()).isEmpty();
        Run other = habeas(Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(), "JAVA_OPTS", "-Xss2m"),
                state(check, "s4"));
        assertThat(other.exit()).as(other.err()).isZero();
        assertThat(Files.readString(Path.of(cache + ".key"))).isNotEqualTo(key);
        assertThat(Files.size(cache)).isGreaterThan(4096);

        // a check that fails makes no cache, and HABEAS_AOT=0 keeps none
        Map<String, String> elsewhere = Map.of("XDG_CACHE_HOME", dir.resolve("cache2").toString());
        Run wrongKey = habeas(elsewhere, "log", "verify", mirror.toUri().toString(), "--vkey", mirror(dir.resolve("m2"), 3),
                "--state", dir.resolve("s5").toString());
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("invalid: checkpoint");
        assertThat(dir.resolve("cache2/habeas/log-verify.aot")).doesNotExist();
        Run off = habeas(Map.of("XDG_CACHE_HOME", dir.resolve("cache3").toString(), "HABEAS_AOT", "0"), state(check, "s6"));
        assertThat(off.exit()).isZero();
        assertThat(dir.resolve("cache3")).doesNotExist();
    }

    private String[] state(String[] check, String name) {
        String[] args = check.clone();
        args[args.length - 1] = dir.resolve(name).toString();
        return args;
    }
}
