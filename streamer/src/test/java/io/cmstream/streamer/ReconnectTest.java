package io.cmstream.streamer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.streamer.clip.Clip;
import io.cmstream.streamer.persons.NoPersons;
import io.cmstream.streamer.publish.CollectingSink;
import io.cmstream.streamer.video.TestPatternVideo;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A network stream that drops, is down for a while, and comes back: reconnect and a marked gap. */
class ReconnectTest {
  @TempDir Path dir;

  /**
   * A live MPEG-TS stream served by FFmpeg itself ({@code ffmpeg -re -i V -listen 1 -f mpegts
   * http://...}, the binary javacv ships), killed mid-stream with SIGKILL and served again: the
   * streamer reconnects, logs the gap, and the seconds after it are published.
   */
  @Test
  void shouldReconnectToALiveStreamThatFfmpegServesAgainAfterItWasKilled() throws Exception {
    Path video = dir.resolve("live.mkv");
    TestPatternVideo.write(video, 160, 120, 10, TestPatternVideo.constantTimes(100, 10)); // 10 s
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/live.ts";
    List<Clip> clips = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<StreamSummary.Gap> gaps = new java.util.concurrent.CopyOnWriteArrayList<>();
    StreamListener listener =
        new StreamListener() {
          @Override
          public void clipWritten(Clip clip, long bytes) {
            clips.add(clip);
          }

          @Override
          public void gap(StreamSummary.Gap gap) {
            gaps.add(gap);
          }
        };
    StreamSettings settings =
        new StreamSettings(
            url,
            "mpegts",
            ClipSpec.of(4, 2, 10, 64),
            64,
            80,
            false,
            0,
            new ReconnectPolicy(40, Duration.ofMillis(250), Duration.ofMillis(500)),
            3000);
    AtomicBoolean stop = new AtomicBoolean();
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    java.io.PrintStream err = System.err;
    System.setErr(
        new java.io.PrintStream(
            new OutputStream() { // the log lines go on to the console too
              @Override
              public synchronized void write(int b) {
                err.write(b);
                log.write(b);
              }

              @Override
              public synchronized void write(byte[] b, int off, int len) {
                err.write(b, off, len);
                log.write(b, off, len);
              }
            },
            true));
    Process server = serve(video, port);
    java.util.concurrent.ExecutorService runner =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    CollectingSink sink = new CollectingSink();
    try {
      java.util.concurrent.Future<StreamSummary> run =
          runner.submit(
              () -> new ClipStreamer(settings).run(new NoPersons(), sink, listener, stop::get));
      awaitUntil(
          () -> clips.size() >= 3 || run.isDone(),
          Duration.ofSeconds(30),
          "3 clips before the drop");
      if (run.isDone()) {
        run.get(); // the stream ended early: its exception fails the test
      }
      server.destroyForcibly(); // the source dies mid-stream
      server.waitFor();
      Thread.sleep(1500); // down: the streamer's reconnects are refused
      server = serve(video, port);
      awaitUntil(
          () ->
              (!gaps.isEmpty()
                      && clips.stream().filter(c -> c.second() > gaps.get(0).toSecond()).count()
                          >= 3)
                  || run.isDone(),
          Duration.ofSeconds(30),
          "3 clips after the gap");
      stop.set(true);
      StreamSummary summary = run.get(30, java.util.concurrent.TimeUnit.SECONDS);

      assertEquals(1, summary.gaps().size(), "one gap: " + summary.gaps());
      StreamSummary.Gap gap = summary.gaps().get(0);
      List<Integer> seconds = clips.stream().map(Clip::second).toList();
      int from = gap.fromSecond();
      assertTrue(
          from >= 3 && seconds.size() - from >= 3, "seconds before and after the gap: " + seconds);
      // every second before the drop, then every second from the end of the gap on
      assertEquals(
          java.util.stream.IntStream.range(0, from).boxed().toList(),
          seconds.subList(0, from),
          seconds.toString());
      assertEquals(
          java.util.stream.IntStream.range(
                  gap.toSecond() + 1, gap.toSecond() + 1 + seconds.size() - from)
              .boxed()
              .toList(),
          seconds.subList(from, seconds.size()),
          seconds.toString());
      // stopped: the last clip is sent again as the end of the stream
      Clip end = sink.clips.get(sink.clips.size() - 1);
      assertTrue(end.endOfStream(), "stopped: the stream's last record ends it");
      assertEquals(
          clips.get(clips.size() - 1).second(), end.second(), "the end repeats the last clip");
      String logged = log.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(
          logged.contains(
              "gap in stream " + url + ": seconds " + gap.fromSecond() + ".." + gap.toSecond()),
          logged);
      assertNull(summary.lost());
    } finally {
      System.setErr(err);
      stop.set(true);
      runner.shutdown();
      runner.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      server.destroyForcibly();
      server.waitFor();
    }
  }

  /**
   * FFmpeg serves the video in real time to one HTTP client, as MPEG-TS; returns once it listens.
   */
  private static Process serve(Path video, int port) throws Exception {
    String ffmpeg = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    Process p =
        new ProcessBuilder(
                ffmpeg,
                "-hide_banner",
                "-loglevel",
                "error",
                "-re",
                "-i",
                video.toString(),
                "-c:v",
                "mpeg2video",
                "-g",
                "10",
                "-q:v",
                "4",
                "-f",
                "mpegts",
                "-listen",
                "1",
                "http://127.0.0.1:" + port + "/live.ts")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    // wait for the listening socket without connecting to it (FFmpeg serves exactly one client)
    String local = String.format("0100007F:%04X", port);
    awaitUntil(
        () -> {
          try {
            return Files.readAllLines(Path.of("/proc/net/tcp")).stream()
                .map(String::trim)
                .anyMatch(l -> l.split("\\s+")[1].equals(local) && l.split("\\s+")[3].equals("0A"));
          } catch (java.io.IOException e) {
            return false;
          }
        },
        Duration.ofSeconds(20),
        "ffmpeg listening on " + port);
    return p;
  }

  private static void awaitUntil(
      java.util.function.BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void shouldReconnectAfterTheStreamDropsAndLeaveAGapForTheSecondsItWasDown() throws Exception {
    byte[] first = video("first.mkv", 30); // 3 s
    byte[] second = video("second.mkv", 20); // 2 s
    long outageMillis = 3500;
    AtomicInteger served = new AtomicInteger();
    AtomicLong downSince = new AtomicLong();
    AtomicBoolean askedAfterTheEnd = new AtomicBoolean();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/live.mkv",
        ex -> {
          byte[] body = null;
          if (served.get() == 0) {
            body = first;
          } else if (served.get() == 1) {
            downSince.compareAndSet(0, System.currentTimeMillis());
            if (System.currentTimeMillis() - downSince.get() >= outageMillis) {
              body = second;
            }
          } else {
            askedAfterTheEnd.set(true);
          }
          if (body == null) {
            ex.sendResponseHeaders(503, -1);
          } else {
            served.incrementAndGet();
            ex.getResponseHeaders().add("Content-Type", "video/x-matroska");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          }
          ex.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.mkv";
      StreamSettings settings =
          new StreamSettings(
              url,
              null,
              ClipSpec.of(4, 2, 10, 64),
              64,
              80,
              false,
              0,
              new ReconnectPolicy(30, Duration.ofMillis(200), Duration.ofMillis(400)),
              3000);
      CollectingSink sink = new CollectingSink();
      StreamSummary summary =
          new ClipStreamer(settings)
              .run(new NoPersons(), sink, StreamListener.NONE, askedAfterTheEnd::get);

      assertEquals(2, served.get());
      assertEquals(1, summary.gaps().size(), "one gap: " + summary.gaps());
      StreamSummary.Gap gap = summary.gaps().get(0);
      assertEquals(3, gap.fromSecond(), "the first stretch had seconds 0..2");
      // the stream was away 3.5 s of wall time (its first 3 s arrived faster than real time):
      // it resumes at the wall-clock second, at least one second later than it stopped
      assertTrue(gap.toSecond() >= 3 && gap.toSecond() <= 12, "down for 3.5 s: " + gap);
      List<Integer> seconds = sink.clips.stream().map(Clip::second).toList();
      int resume = gap.toSecond() + 1;
      assertEquals(List.of(0, 1, 2, resume, resume + 1), seconds);
      assertEquals(resume * 1000L, sink.clips.get(3).mediaTimeMs());
      assertTrue(sink.clips.get(4).endOfStream());
      assertTrue(sink.clips.stream().limit(4).noneMatch(Clip::endOfStream));
      assertTrue(
          sink.clips.stream().allMatch(c -> c.captureTimeMs() != null),
          "live clips carry capture times");
      assertNull(summary.lost());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void shouldEndTheStreamWhenItDoesNotComeBack() throws Exception {
    byte[] first = video("only.mkv", 20);
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/cam",
        ex -> {
          if (requests.getAndIncrement() == 0) {
            ex.sendResponseHeaders(200, first.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(first);
            }
          } else {
            ex.sendResponseHeaders(404, -1);
          }
          ex.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/cam";
      StreamSettings settings =
          new StreamSettings(
              url,
              null,
              ClipSpec.of(4, 2, 10, 64),
              64,
              80,
              false,
              0,
              new ReconnectPolicy(2, Duration.ofMillis(50), Duration.ofMillis(100)),
              3000);
      CollectingSink sink = new CollectingSink();
      StreamSummary summary =
          new ClipStreamer(settings).run(new NoPersons(), sink, StreamListener.NONE, () -> false);
      assertEquals(2, sink.clips.size());
      assertTrue(
          sink.clips.get(1).endOfStream(), "the stream still ends with an end-of-stream clip");
      assertTrue(summary.lost().contains("not back after 2 reconnect attempts"), summary.lost());
    } finally {
      server.stop(0);
    }
  }

  private byte[] video(String name, int frames) throws Exception {
    Path file = dir.resolve(name);
    TestPatternVideo.write(file, 160, 120, 10, TestPatternVideo.constantTimes(frames, 10));
    return Files.readAllBytes(file);
  }
}
