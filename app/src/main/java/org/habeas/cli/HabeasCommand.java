package org.habeas.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code habeas} command line. */
@Command(name = "habeas",
        mixinStandardHelpOptions = true,
        versionProvider = HabeasCommand.Version.class,
        description = "Receives cross-border requests for electronic evidence, applies human-rights safeguards, "
                + "and keeps a public, verifiable log of what was done with them.",
        subcommands = {ServeCommand.class, ValidateCommand.class, AssessCommand.class, CompareProfilesCommand.class, LogCommand.class, AuditCommand.class, ReportCommand.class, CommandLine.HelpCommand.class})
public final class HabeasCommand implements Runnable {

    /** Exit code for bad input (a file that is not a valid request, an unknown option). */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The Spring Boot application class that {@code serve} starts. */
    private final Class<?> application;

    HabeasCommand(Class<?> application) {
        this.application = application;
    }

    Class<?> application() {
        return application;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the command line and exits with its code, except after a successful {@code serve}: then the web
     * server's threads keep the process alive until it is stopped.
     */
    public static void run(Class<?> application, String... args) {
        CommandLine cli = commandLine(application);
        int code = cli.execute(args);
        CommandLine.ParseResult parsed = cli.getParseResult();
        boolean serving = parsed != null && parsed.subcommand() != null
                && parsed.subcommand().commandSpec().userObject() instanceof ServeCommand;
        if (!serving || code != 0) {
            System.exit(code);
        }
    }

    public static CommandLine commandLine(Class<?> application) {
        CommandLine cli = new CommandLine(new HabeasCommand(application));
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(e.getMessage());
            cmd.usage(err);
            return BAD_INPUT;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties build = new Properties();
            try (InputStream in = HabeasCommand.class.getResourceAsStream("/META-INF/build-info.properties")) {
                if (in != null) {
                    build.load(in);
                }
            } catch (IOException e) {
                // fall through to "unknown"
            }
            return new String[] {
                "Habeas " + build.getProperty("build.version", "(unknown version)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
