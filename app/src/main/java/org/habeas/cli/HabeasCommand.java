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
        subcommands = {ServeCommand.class, ValidateCommand.class, AssessCommand.class, CompareProfilesCommand.class, LogCommand.class, AuditCommand.class, ReportCommand.class, LawCommand.class, EevidenceCommand.class, PackageCommand.class, CommandLine.HelpCommand.class})
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
        int code;
        try {
            code = cli.execute(args);
        } catch (VirtualMachineError e) {
            System.err.println("habeas: cannot complete: " + e);
            code = BAD_INPUT;
        }
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
        // whatever goes wrong, one line and exit 2 (1 means only "a difference was found"); never a stack trace
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandName() + ": cannot complete: " + oneLine(e));
            cmd.getErr().flush();
            return BAD_INPUT;
        });
        return cli;
    }

    /** An exception as one line: its message, or its kind, and the innermost cause's. */
    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += ": " + root.getMessage();
        }
        return message.lines().findFirst().orElse(message).strip();
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
