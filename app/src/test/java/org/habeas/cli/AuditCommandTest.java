package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.habeas.HabeasApplication;
import org.habeas.accounts.Agencies;
import org.habeas.accounts.Agency;
import org.habeas.intake.Intake;
import org.habeas.intake.Sender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import picocli.CommandLine;

/**
 * {@code habeas audit} on an embedded database: it reads only (the database file is byte for byte the same after
 * it, entries waiting to be sequenced stay waiting, nothing is signed), exit 1 means only that a difference was
 * found, and a database held by a running server is one line and exit 2.
 */
class AuditCommandTest {

    @TempDir
    Path home;

    record Run(int exit, String out, String err) {
    }

    private Run audit() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = HabeasCommand.commandLine(HabeasApplication.class);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("audit", "--home", home.toString());
        return new Run(exit, out.toString(), err.toString());
    }

    private String fileHash() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(home.resolve("db/habeas.mv.db"))));
    }

    @Test
    void theAuditReadsOnlyAndExitsOneOnlyForADifferenceAndTwoWhenItCannotRun() throws Exception {
        assertThat(audit().out()).startsWith("clean: 0 cases");
        assertThat(home.resolve("db")).doesNotExist();

        long pending;
        try (var ctx = AuditCommand.context(HabeasApplication.class, home)) {
            Agency agency = ctx.getBean(Agencies.class).register("Audit agency", "FR", Agency.Kind.POLICE, List.of());
            byte[] body;
            try (var in = getClass().getResourceAsStream("/demo/01-fr-fraud.json")) {
                body = in.readAllBytes();
            }
            ctx.getBean(Intake.class).receive(body, null, new Sender(agency.id(), "test", "UNSIGNED", null));
        }
        String url = "jdbc:h2:file:" + home.resolve("db/habeas") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        // an entry written but not yet sequenced, as after a crash (written with no Habeas running, so no sequencer
        // takes it): the audit must leave it for the server
        try (var c = java.sql.DriverManager.getConnection(url, "sa", "");
                var insert = c.prepareStatement("insert into ledger_pending (entry, period, event, case_id, created_at) "
                        + "values (?, '2025-H2', 'TEST', null, ?)")) {
            insert.setBytes(1, "{\"v\":1,\"x\":3}".getBytes(StandardCharsets.UTF_8));
            insert.setObject(2, java.time.OffsetDateTime.now());
            insert.executeUpdate();
            try (var rs = c.createStatement().executeQuery("select count(*) from ledger_pending")) {
                rs.next();
                pending = rs.getLong(1);
            }
        }
        String before = fileHash();

        Run clean = audit();
        assertThat(clean.exit()).as(clean.err()).isZero();
        assertThat(clean.out()).startsWith("clean: 1 cases, 2 log entries checked");
        assertThat(clean.err()).isEmpty();
        assertThat(fileHash()).as("the database file is unchanged").isEqualTo(before);

        try (var ctx = AuditCommand.context(HabeasApplication.class, home)) {
            JdbcClient jdbc = ctx.getBean(JdbcClient.class);
            // the server's sequencer may have integrated it by now; what matters is that the audit did not
            assertThat(pending).isEqualTo(1);
            jdbc.sql("update intake_request set requesting_state = 'RU'").update();
        }
        Run different = audit();
        assertThat(different.exit()).isEqualTo(1);
        assertThat(different.out()).startsWith("NOT clean");
        assertThat(different.err().lines()).allSatisfy(l -> assertThat(l).startsWith("problem: "))
                .anySatisfy(l -> assertThat(l).contains("requestingState"));

        // a running server holds the embedded database: one line saying so, exit 2
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldDatabase.class.getName(), url)
                .redirectErrorStream(true).start();
        try {
            String opened = new String(holder.getInputStream().readNBytes(5), StandardCharsets.UTF_8);
            if (!opened.equals("open\n")) {
                holder.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(opened + new String(holder.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            Run locked = audit();
            assertThat(locked.exit()).isEqualTo(HabeasCommand.BAD_INPUT);
            assertThat(locked.err().lines()).singleElement().asString().contains("in use by a running Habeas");
            assertThat(locked.out()).isEmpty();
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Holds an H2 database open in another process, as a running server does. */
    public static final class HoldDatabase {
        public static void main(String[] args) throws Exception {
            try (var c = java.sql.DriverManager.getConnection(args[0], "sa", "")) {
                System.out.print("open\n");
                System.out.flush();
                Thread.sleep(60_000);
            }
        }
    }
}
