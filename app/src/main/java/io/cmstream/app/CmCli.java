package io.cmstream.app;

import io.cmstream.app.demo.DemoCommand;
import io.cmstream.common.cli.Cli;
import io.cmstream.common.cli.ProjectVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/cm}: the demo (build-demo-model is a script step of bin/cm). */
@Command(
    name = "cm",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = "CM-Stream: streaming action detection with Collaborative Memory.",
    subcommands = {
      DemoCommand.class,
      io.cmstream.app.bench.LiveBenchCommand.class,
      io.cmstream.app.bench.GpuCheckCommand.class,
      CommandLine.HelpCommand.class
    })
public final class CmCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    System.exit(Cli.execute(new CmCli(), args));
  }
}
