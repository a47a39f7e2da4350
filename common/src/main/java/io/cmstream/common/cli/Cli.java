package io.cmstream.common.cli;

import picocli.CommandLine;

/**
 * Shared command-line conventions of every CM-Stream command: exit 0 ok, 1 failure, 2 usage;
 * failures print one clear line (no stack trace unless CM_DEBUG is set); usage errors (bad or
 * missing options, knobs out of range) print one line too, pointing to --help.
 */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  private Cli() {}

  /**
   * Log lines of the long-running commands (detector, streamer): ISO-8601 time stamps with the zone
   * and the level on every line (slf4j-simple), and the Kafka clients at WARN (at INFO they print
   * their whole configuration and every connection). A {@code -Dorg.slf4j.simpleLogger.*} given on
   * the command line wins. Call first thing in {@code main}, before any logger exists.
   */
  public static void serviceLogging() {
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Runs a picocli command with the project's exit-code and error conventions. */
  public static int execute(Object command, String... args) {
    return configure(new CommandLine(command)).execute(args);
  }

  /** Applies the exit-code and error conventions to a command line and returns it. */
  public static CommandLine configure(CommandLine cl) {
    cl.setExitCodeExceptionMapper(
        e -> e instanceof CommandLine.ParameterException ? USAGE : FAILURE);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          String msg =
              ex.getMessage() == null
                  ? "invalid arguments"
                  : ex.getMessage().strip().replace('\n', ' ');
          c.getErr().println(c.getCommandName() + ": usage error: " + msg + " (see --help)");
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          String name = commandLine.getCommandName();
          Throwable root = ex;
          String msg = root.getMessage();
          if (msg == null || msg.isBlank()) {
            msg = root.getClass().getSimpleName();
          }
          commandLine.getErr().println(name + ": error: " + msg);
          if (System.getenv("CM_DEBUG") != null) {
            ex.printStackTrace(commandLine.getErr());
          }
          return FAILURE;
        });
    return cl;
  }
}
