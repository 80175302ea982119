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
     * Runs a command line; returns the exit code (0 ok, 1 failure, 2 bad input, usage, or a resource that ran out:
     * GPU memory, direct memory, heap, disk; see {@link ResourceErrors}).
     */
    public static int run(String... args) {
        return execute(new CommandLine(new Main()).setDefaultValueProvider(new ConfigDefaults()), args);
    }

    /** Executes {@code cli} with this CLI's error handling (also for Errors, which picocli lets through). */
    static int execute(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> fail(e, cmd.getErr()));
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

    /** One {@code error:} line; a stack trace too unless the cause is bad input or a resource that ran out. */
    static int fail(Throwable e, PrintWriter err) {
        Optional<String> resource = ResourceErrors.describe(e);
        if (resource.isPresent()) {
            err.println("error: " + resource.get());
            err.flush();
            return 2;
        }
        boolean badInput = e instanceof ModelFormatException || e instanceof IllegalArgumentException;
        err.println("error: " + e.getMessage());
        if (!badInput) {
            e.printStackTrace(err);
        }
        return badInput ? 2 : 1;
    }
}
