package io.cmstream.detector.service;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code detector run} in a child JVM, as an operator starts it: killed with SIGKILL ({@link
 * #kill}: no shutdown hook, no commit, its transaction left open), or stopped with SIGTERM ({@link
 * #close}).
 */
final class DetectorProcess implements AutoCloseable {

  private final Process process;
  private final int httpPort;
  private final Path log;

  private DetectorProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  /**
   * @param args arguments after {@code run} (the HTTP endpoint is added: 127.0.0.1, a free port)
   * @param env environment variables to set (HOSTNAME as in a pod)
   * @param log file that gets stdout and stderr
   */
  static DetectorProcess start(List<String> args, Map<String, String> env, Path log)
      throws IOException {
    int port = freePort();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "io.cmstream.detector.cli.DetectorCli",
                "run",
                "--http-host",
                "127.0.0.1",
                "--http-port",
                String.valueOf(port)));
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("HOSTNAME");
    pb.environment().putAll(env);
    return new DetectorProcess(pb.start(), port, log);
  }

  /** Waits until {@code /health} answers 200 (the streams client is RUNNING or REBALANCING). */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("detector exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("RUNNING")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("detector not healthy after " + timeout);
  }

  /**
   * Wall-clock time (epoch ms) its log says the streams client started ("CREATED -> REBALANCING").
   */
  long streamsStartedAtMillis() throws IOException {
    for (String line : java.nio.file.Files.readAllLines(log)) {
      if (line.contains("streams state CREATED -> REBALANCING")) {
        return java.time.OffsetDateTime.parse(line.substring(0, line.indexOf(' ')))
            .toInstant()
            .toEpochMilli();
      }
    }
    throw new IllegalStateException("the streams client did not start: " + log);
  }

  /** SIGKILL, as {@code kill -9}: the JVM gets no chance to close anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  Process process() {
    return process;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** SIGTERM (a clean shutdown), SIGKILL if it is not gone after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
