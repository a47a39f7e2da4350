package io.cmstream.streamer.cli;

import io.cmstream.common.cli.Cli;
import io.cmstream.common.cli.ProjectVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/streamer}: video sources to one-second clip records. */
@Command(
    name = "streamer",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description =
        "Video file / stream / webcam -> one-second clips (JPEG frames + person boxes) -> Kafka or a recording.",
    subcommands = {
      PublishCommand.class,
      RecordCommand.class,
      StreamerBenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class StreamerCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    Cli.serviceLogging();
    System.exit(Cli.execute(new StreamerCli(), args));
  }
}
