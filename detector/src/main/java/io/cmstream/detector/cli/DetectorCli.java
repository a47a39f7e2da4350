package io.cmstream.detector.cli;

import io.cmstream.common.cli.Cli;
import io.cmstream.common.cli.ProjectVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/detector}. */
@Command(
    name = "detector",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = "Streaming action detection with collaborative memory on Kafka Streams.",
    subcommands = {
      RunCommand.class,
      ReplayCommand.class,
      ReplayBenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DetectorCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    Cli.serviceLogging();
    System.exit(Cli.execute(new DetectorCli(), args));
  }
}
