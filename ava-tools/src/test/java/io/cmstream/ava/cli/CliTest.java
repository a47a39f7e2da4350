package io.cmstream.ava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.cli.Cli;
import io.cmstream.common.cli.ProjectVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CliTest {

  @Command(name = "boom")
  static final class Boom implements Runnable {
    @CommandLine.Option(names = "--n", required = true)
    int n;

    @Override
    public void run() {
      throw new IllegalStateException("file x.csv line 3: bad number");
    }
  }

  @Test
  void shouldExitWithUsageCodeOnBadOption() {
    assertEquals(Cli.USAGE, Cli.execute(new Boom(), "--n", "notanumber"));
    assertEquals(Cli.USAGE, Cli.execute(new AvaToolsCli()));
  }

  @Test
  void shouldPrintOneLineForUsageErrors() {
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.configure(new CommandLine(new Boom()));
    cl.setErr(new PrintWriter(err, true));
    assertEquals(Cli.USAGE, cl.execute("--n", "x"));
    assertEquals(
        "boom: usage error: Invalid value for option '--n': 'x' is not an int (see --help)",
        err.toString().strip());
  }

  @Test
  void shouldPrintOneLineAndExitOneOnFailure() {
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.configure(new CommandLine(new Boom()));
    cl.setErr(new PrintWriter(err, true));
    assertEquals(Cli.FAILURE, cl.execute("--n", "1"));
    assertEquals("boom: error: file x.csv line 3: bad number", err.toString().strip());
  }

  @Test
  void shouldPrintHelpAndVersion() {
    assertEquals(Cli.OK, Cli.execute(new AvaToolsCli(), "--help"));
    assertEquals(Cli.OK, Cli.execute(new AvaToolsCli(), "--version"));
    assertTrue(new ProjectVersion().getVersion()[0].startsWith("CM-Stream"));
  }
}
