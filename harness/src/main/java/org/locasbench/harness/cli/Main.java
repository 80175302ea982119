package org.locasbench.harness.cli;

import java.io.PrintWriter;
import java.util.Optional;
import org.locasbench.model.ModelFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code locas-bench} command line. */
@Command(name = "locas-bench", mixinStandardHelpOptions = true, version = "locas-bench 0.1.0",
        description = "Locas test-time memory benchmark harness for Qwen3 on DJL.",
        subcommands = {ScoreCommand.class, MemorizeCommand.class, NllCommand.class, ToDenseCommand.class,
                TttCommand.class, LoraTttCommand.class, LoraMergeCommand.class, RunCommand.class, SpeedCommand.class,
                MergeCommand.class, MakeCheckpointCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a command line; returns the exit code (0 ok, 1 a bug, with its stack trace; 2 bad input, usage, a training
     * loss that became NaN/Inf, an output location that cannot be written, or a resource that ran out: GPU memory,
     * direct memory, heap, disk; see {@link ResourceErrors}).
     */
    public static int run(String... args) {
        return execute(new CommandLine(new Main()).setDefaultValueProvider(new ConfigDefaults()), args);
    }

    /**
     * Executes {@code cli} with this CLI's error handling (also for Errors, which picocli lets through): every failure
     * is one {@code error:} line; option errors get at most one more line, a hint, instead of the usage.
     */
    static int execute(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> fail(e, cmd.getErr()));
        cli.setParameterExceptionHandler(Main::usageError);
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli hands the handler only Exceptions thrown by a Callable; an Error (OutOfMemoryError, IOError)
            // comes straight out of execute
            Optional<String> resource = ResourceErrors.describe(e);
            if (resource.isEmpty()) {
                throw e;
            }
            cli.getErr().println("error: " + resource.get());
            cli.getErr().flush();
            return 2;
        }
    }

    /** picocli's parameter errors (unknown option, invalid value, missing option): one line, a hint, exit 2. */
    static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + ErrorLines.oneLine(String.valueOf(e.getMessage())).replaceFirst("^Error: ", ""));
        String help = "run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options";
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            help = "did you mean " + String.join(" or ", u.getSuggestions()) + "? " + help;
        }
        err.println(help);
        err.flush();
        return 2;
    }

    /**
     * One {@code error:} line. Bad input, a diverged run, a refused output location or a resource that ran out: exit
     * 2 and nothing else; anything else is a bug: exit 1 and its stack trace.
     */
    static int fail(Throwable e, PrintWriter err) {
        Optional<String> resource = ResourceErrors.describe(e);
        if (resource.isPresent()) {
            err.println("error: " + resource.get());
            err.flush();
            return 2;
        }
        Optional<Throwable> user = ErrorLines.userError(e);
        if (user.isPresent()) {
            err.println("error: " + ErrorLines.message(user.get()));
            err.flush();
            return 2;
        }
        err.println("error: " + ErrorLines.firstLine(e));
        e.printStackTrace(err);
        err.flush();
        return 1;
    }
}
