package io.cmstream.trainer.cli;

import io.cmstream.common.cli.Cli;
import io.cmstream.common.cli.ProjectVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/trainer}. */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description =
        "Train and evaluate the Collaborative-Memory action detector (DJL, PyTorch engine).",
    subcommands = {
      TrainCommand.class,
      ImportCommand.class,
      EvalCommand.class,
      ExportCommand.class,
      InferCommand.class,
      BenchExportCommand.class,
      BenchCmCommand.class,
      ProbeMemoryCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TrainerCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true");
    System.exit(Cli.execute(new TrainerCli(), args));
  }
}
