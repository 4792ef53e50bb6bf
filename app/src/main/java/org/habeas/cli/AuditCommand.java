package org.habeas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
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

/** {@code habeas audit}: checks the database against the public log. */
@Command(name = "audit", description = "Recompute every logged case's commitments from the database and compare them "
        + "with the public log; check every entry and the tree against the last signed checkpoint. Uses the same "
        + "database as serve (HABEAS_DB_URL or the embedded one under $HABEAS_HOME). Exit 0 clean, 1 problems found.")
final class AuditCommand implements Callable<Integer> {

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
        try (ConfigurableApplicationContext ctx = context(parent.application(), home)) {
            Audit.Report report = ctx.getBean(Audit.class).run();
            report.problems().forEach(p -> err.println("problem: " + p));
            out.println((report.clean() ? "clean: " : "NOT clean: ") + report.cases() + " cases, " + report.entries()
                    + " log entries checked, " + report.problems().size() + " problems");
            return report.clean() ? 0 : LogCommand.INVALID;
        }
    }

    /** The application without its web layer or demo data, on the configured database. */
    static ConfigurableApplicationContext context(Class<?> application, Path home) {
        SpringApplication app = new SpringApplication(application);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setLogStartupInfo(false);
        app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        app.setDefaultProperties(Map.of("logging.level.root", "WARN"));
        Map<String, Object> props = new HashMap<>();
        props.put("habeas.demo.enabled", false);
        if (home != null) {
            props.put("habeas.home", home.toAbsolutePath().toString());
        }
        app.addInitializers(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                new org.springframework.core.env.MapPropertySource("habeas-audit", props)));
        return app.run();
    }
}
