package io.cmstream.app.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The demo's terminal view: one status line, refreshed about once a second, with the seconds
 * streamed, detections received and their rate, end-to-end latency, and the memory window used.
 */
public final class LiveView {
  private final PrintStream out;
  private final boolean interactive;
  private final long startNanos = System.nanoTime();
  private long lastPrint;

  public LiveView(PrintStream out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  /** Prints the status line if a second has passed (or {@code force}). */
  public void update(int streamed, DetectionCollector detections, boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastPrint < 1_000_000_000L) {
      return;
    }
    lastPrint = now;
    double elapsed = Math.max(1e-3, (now - startNanos) / 1e9);
    DetectionCollector.Received latest = detections.latest();
    String window = "-";
    String top = "";
    if (latest != null) {
      List<Integer> mem = latest.record().getMemorySeconds();
      window =
          mem.isEmpty()
              ? "[]"
              : "[" + mem.get(0) + ".." + mem.get(mem.size() - 1) + "] (" + mem.size() + " s)";
      top =
          String.format(
              Locale.ROOT,
              " | t=%d: %d person(s)",
              latest.record().getSecond(),
              latest.record().getPersons().size());
    }
    String line =
        String.format(
            Locale.ROOT,
            "streamed %3d s | detections %3d (%.1f/s) | latency p50 %s | memory window %s%s",
            streamed,
            detections.seconds(),
            detections.seconds() / elapsed,
            p50(detections.latencies()),
            window,
            top);
    if (interactive) {
      out.print("\r" + line + "    ");
    } else {
      out.println(line);
    }
    out.flush();
  }

  public void finish() {
    if (interactive) {
      out.println();
    }
  }

  static String p50(List<Long> values) {
    if (values.isEmpty()) {
      return "-";
    }
    List<Long> s = new ArrayList<>(values);
    Collections.sort(s);
    return s.get(s.size() / 2) + " ms";
  }
}
