package org.habeas.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.springframework.boot.SpringApplication;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code habeas serve}: the web server, API and UI. */
@Command(name = "serve", description = "Start the Habeas server (web UI and API). "
        + "Uses the embedded H2 database under $HABEAS_HOME (default ./data) unless HABEAS_DB_URL points elsewhere.")
final class ServeCommand implements Callable<Integer> {

    @picocli.CommandLine.ParentCommand
    HabeasCommand parent;

    @Option(names = "--port", description = "HTTP port (default: $PORT or 8080).")
    Integer port;

    @Option(names = "--home", description = "Directory for the embedded database and local files (default: $HABEAS_HOME or ./data).")
    Path home;

    @Option(names = "--no-demo", description = "Do not load the demo requests into an empty database.")
    boolean noDemo;

    @Override
    public Integer call() {
        Map<String, Object> defaults = new HashMap<>();
        if ("json".equalsIgnoreCase(System.getenv("HABEAS_LOG_FORMAT"))) {
            defaults.put("logging.structured.format.console", "logstash");
        }
        SpringApplication app = new SpringApplication(parent.application());
        app.setDefaultProperties(defaults);
        Map<String, Object> overrides = new HashMap<>();
        if (port != null) {
            overrides.put("server.port", port);
        }
        if (home != null) {
            overrides.put("habeas.home", home.toAbsolutePath().toString());
        }
        if (noDemo) {
            overrides.put("habeas.demo.enabled", false);
        }
        app.addInitializers(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                new org.springframework.core.env.MapPropertySource("habeas-command-line", overrides)));
        // the demo's e-Evidence channel, unless the operator configured one: certificates made in the data directory
        app.addInitializers(ctx -> {
            org.springframework.core.env.ConfigurableEnvironment env = ctx.getEnvironment();
            if (env.getProperty("habeas.demo.enabled", Boolean.class, false)
                    && env.getProperty("habeas.eevidence.port") == null) {
                env.getPropertySources().addLast(new org.springframework.core.env.MapPropertySource("habeas-demo-eevidence",
                        org.habeas.eevidence.DemoPki.prepare(Path.of(env.getProperty("habeas.home", "./data"))
                                .toAbsolutePath())));
            }
        });
        app.run();
        return 0;
    }
}
