package io.cmstream.detector.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.runtime.TinyCmModel;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detector run} against a cluster that is not there, with the default settings: a port that
 * refuses connections, and one that accepts them but never answers. Each gives one clear error line
 * and exit 1 within 30 s (JVM start included), and a few kB of time-stamped log, not megabytes.
 */
class UnreachableBrokerIntegrationTest {

  @TempDir Path temp;

  @Test
  void shouldExitWithOneClearLineWithin30SecondsAndLittleLog() throws Exception {
    Path bundle = TinyCmModel.write(temp.resolve("bundle"), 3);
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    // a listener that never accepts: connections open (the kernel's backlog) but nothing answers
    ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    try (silent) {
      for (String target : List.of("127.0.0.1:" + closed, "127.0.0.1:" + silent.getLocalPort())) {
        run(target, bundle);
      }
    }
  }

  private void run(String target, Path bundle) throws Exception {
    Path log = temp.resolve(target.replace(':', '_') + ".log");
    long start = System.nanoTime();
    try (DetectorProcess p = DetectorProcess.start(args(target, bundle), Map.of(), log)) {
      assertTrue(p.process().waitFor(60, TimeUnit.SECONDS), target + ": still running after 60 s");
      double seconds = (System.nanoTime() - start) / 1e9;
      String text = Files.readString(log, StandardCharsets.UTF_8);
      List<String> lines = text.lines().toList();
      System.out.printf(
          "unreachable broker %s: exit %d after %.1f s, %d log lines, %d bytes%n",
          target, p.process().exitValue(), seconds, lines.size(), text.length());
      assertEquals(1, p.process().exitValue(), text);
      assertTrue(seconds <= 30, target + ": exit after " + seconds + " s\n" + text);
      assertTrue(
          text.length() < 20_000 && lines.size() < 100,
          target + ": " + lines.size() + " lines, " + text.length() + " bytes");
      String last = lines.get(lines.size() - 1);
      assertTrue(
          last.startsWith(
              "run: error: cannot reach Kafka at " + target + ": no broker answered within 10 s"),
          last);
      for (String line : lines.subList(0, lines.size() - 1)) {
        assertTrue(
            line.matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) \\[.*\\] (TRACE|DEBUG|INFO|WARN|ERROR) .*"),
            "a log line without time stamp and level: " + line);
      }
    }
  }

  private static List<String> args(String bootstrap, Path bundle) {
    return List.of(
        "--bootstrap-servers", bootstrap, "--bundle", bundle.toString(), "--ort-threads", "1");
  }
}
