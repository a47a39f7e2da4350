package io.cmstream.ava.cli;

import io.cmstream.common.cli.Cli;
import io.cmstream.common.cli.ProjectVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/ava-tools}: AVA data toolkit commands. */
@Command(
    name = "ava-tools",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = "AVA data toolkit: frame-mAP evaluation, synthetic data, frames, visualisation.",
    subcommands = {
      FrameMapEvalCommand.class,
      BenchEvalCommand.class,
      SynthCommand.class,
      FramesCommand.class,
      VisualizeCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AvaToolsCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    System.exit(Cli.execute(new AvaToolsCli(), args));
  }
}
