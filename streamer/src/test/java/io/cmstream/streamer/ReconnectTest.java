package io.cmstream.streamer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.cmstream.ava.clip.ClipSpec;
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

  @Test
  void shouldReconnectAfterTheStreamDropsAndLeaveAGapForTheSecondsItWasDown() throws Exception {
    byte[] first = video("first.mkv", 30);   // 3 s
    byte[] second = video("second.mkv", 20); // 2 s
    long outageMillis = 3500;
    AtomicInteger served = new AtomicInteger();
    AtomicLong downSince = new AtomicLong();
    AtomicBoolean askedAfterTheEnd = new AtomicBoolean();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/live.mkv", ex -> {
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
      StreamSettings settings = new StreamSettings(url, null, ClipSpec.of(4, 2, 10, 64), 64, 80, false, 0,
          new ReconnectPolicy(30, Duration.ofMillis(200), Duration.ofMillis(400)), 3000);
      CollectingSink sink = new CollectingSink();
      StreamSummary summary = new ClipStreamer(settings).run(new NoPersons(), sink, StreamListener.NONE, askedAfterTheEnd::get);

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
      assertTrue(sink.clips.stream().allMatch(c -> c.captureTimeMs() != null), "live clips carry capture times");
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
    server.createContext("/cam", ex -> {
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
      StreamSettings settings = new StreamSettings(url, null, ClipSpec.of(4, 2, 10, 64), 64, 80, false, 0,
          new ReconnectPolicy(2, Duration.ofMillis(50), Duration.ofMillis(100)), 3000);
      CollectingSink sink = new CollectingSink();
      StreamSummary summary = new ClipStreamer(settings).run(new NoPersons(), sink, StreamListener.NONE, () -> false);
      assertEquals(2, sink.clips.size());
      assertTrue(sink.clips.get(1).endOfStream(), "the stream still ends with an end-of-stream clip");
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
