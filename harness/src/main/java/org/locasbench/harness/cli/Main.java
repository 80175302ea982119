package org.locasbench.harness.cli;

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

    /** Runs a command line; returns the exit code (0 ok, 1 failure, 2 bad input or usage). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean badInput = e instanceof ModelFormatException || e instanceof IllegalArgumentException;
            cmd.getErr().println("error: " + e.getMessage());
            if (!badInput) {
                e.printStackTrace(cmd.getErr());
            }
            return badInput ? 2 : 1;
        });
        return cli.execute(args);
    }
}
