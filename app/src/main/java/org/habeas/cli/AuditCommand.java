package org.habeas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.habeas.ledger.Audit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code habeas audit}: checks the database against the public log, reading only. */
@Command(name = "audit", description = "Recompute every logged case's entries and commitments from the database and "
        + "compare them with the public log; check that no leaf is missing, every entry against its leaf hash and the "
        + "tree against the last signed checkpoint. Reads only: nothing is written, nothing signed. Uses the same "
        + "database as serve (HABEAS_DB_URL or the embedded one under $HABEAS_HOME). Exit 0 clean, 1 a difference "
        + "was found, 2 the audit could not run.")
final class AuditCommand implements Callable<Integer> {

    /** H2's "Database may be already in use": another process holds the file. */
    private static final int H2_DATABASE_IN_USE = 90020;

    @CommandLine.ParentCommand
    HabeasCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--home", description = "Directory of the embedded database (default: $HABEAS_HOME or ./data).")
    Path home;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Audit.Report report;
        try (ConfigurableApplicationContext ctx = readOnlyContext(parent.application(), home)) {
            report = ctx.getBean(Audit.class).run();
        } catch (NoDatabase e) {
            // nothing was ever stored or logged here, so nothing can differ
            out.println("clean: 0 cases, 0 log entries checked, 0 problems (no database yet at " + e.getMessage() + ")");
            return 0;
        } catch (RuntimeException e) {
            err.println("audit: cannot audit the database: " + reason(e));
            return HabeasCommand.BAD_INPUT;
        }
        report.problems().forEach(p -> err.println("problem: " + p));
        out.println((report.clean() ? "clean: " : "NOT clean: ") + report.cases() + " cases, " + report.entries()
                + " log entries checked, " + (report.pending() > 0 ? report.pending() + " not yet sequenced, " : "")
                + report.problems().size() + " problems");
        return report.clean() ? 0 : LogCommand.INVALID;
    }

    /** The embedded database was never created: there is nothing to audit. */
    static final class NoDatabase extends RuntimeException {
        NoDatabase(String file) {
            super(file);
        }
    }

    /** Why the database could not be read, in one line. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_IN_USE) {
                return "the embedded database is in use by a running Habeas (H2 lets one process open it); stop the "
                        + "server first, or run Habeas on PostgreSQL, where the audit runs alongside it";
            }
        }
        return HabeasCommand.oneLine(e);
    }

    /**
     * The application on the configured database, reading only: the connection is read-only (H2 opens its file for
     * reading, PostgreSQL runs every transaction READ ONLY), no migration runs, no scheduled job, no signing, no
     * first-administrator link; nothing is logged but what the audit reports.
     */
    static ConfigurableApplicationContext readOnlyContext(Class<?> application, Path home) {
        SpringApplication app = application(application, home, Map.of(
                "habeas.read-only", true,
                "spring.flyway.enabled", false,
                "habeas.ledger.witnesses", "",
                "spring.datasource.hikari.read-only", true,
                "spring.datasource.hikari.maximum-pool-size", 2));
        // before the context: logging is set up from the environment as it is prepared
        app.setDefaultProperties(Map.of("logging.level.root", "OFF"));
        app.addInitializers(ctx -> {
            var env = ctx.getEnvironment();
            String url = env.getProperty("spring.datasource.url", "");
            Map<String, Object> db = new HashMap<>();
            if (url.startsWith("jdbc:h2:file:")) {
                String file = url.substring("jdbc:h2:file:".length()).split(";")[0];
                if (!java.nio.file.Files.exists(Path.of(file + ".mv.db"))) {
                    throw new NoDatabase(file);
                }
            }
            if (url.startsWith("jdbc:h2:")) {
                db.put("spring.datasource.url", url + ";ACCESS_MODE_DATA=r");
            } else if (url.startsWith("jdbc:postgresql:")) {
                db.put("spring.datasource.hikari.connection-init-sql",
                        "set session characteristics as transaction read only");
            }
            env.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("habeas-read-only", db));
        });
        return app.run();
    }

    /** The application without its web layer or demo data, on the configured database. */
    static ConfigurableApplicationContext context(Class<?> application, Path home) {
        return application(application, home, Map.of()).run();
    }

    private static SpringApplication application(Class<?> application, Path home, Map<String, Object> extra) {
        SpringApplication app = new SpringApplication(application);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setLogStartupInfo(false);
        app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        app.setDefaultProperties(Map.of("logging.level.root", "WARN"));
        Map<String, Object> props = new HashMap<>(extra);
        props.put("habeas.demo.enabled", false);
        if (home != null) {
            props.put("habeas.home", home.toAbsolutePath().toString());
        }
        app.addInitializers(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                new org.springframework.core.env.MapPropertySource("habeas-audit", props)));
        return app;
    }
}
