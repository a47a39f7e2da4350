package io.cmstream.streamer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.streamer.video.TestPatternVideo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code streamer record} process stopped by a signal (as Ctrl-C) ends its stream cleanly.
 */
class StopSignalTest {
  @TempDir Path dir;

  @Test
  void shouldEndTheStreamWithAnEndOfStreamClipWhenTheProcessIsStopped() throws Exception {
    Path video = dir.resolve("long.avi");
    TestPatternVideo.write(video, 160, 120, 10, TestPatternVideo.constantTimes(300, 10)); // 30 s
    Path out = dir.resolve("stopped.avro");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.cmstream.streamer.cli.StreamerCli",
                "record",
                "--input",
                video.toString(),
                "--out",
                out.toString(),
                "--realtime",
                "--frames",
                "4",
                "--stride",
                "2",
                "--short-side",
                "64",
                "--hog-upscale",
                "1",
                "--no-progress")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("log.txt").toFile())
            .start();
    try {
      // let it stream a few seconds in real time, then stop it like Ctrl-C does (SIGINT/SIGTERM
      // both run the shutdown hook)
      long deadline = System.currentTimeMillis() + 20_000;
      while (!Files.exists(dir.resolve("stopped.avro.partial"))
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      Thread.sleep(3500);
      assertTrue(
          p.isAlive(),
          "still streaming a 30 s video in real time: " + Files.readString(dir.resolve("log.txt")));
      p.destroy();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
    } finally {
      p.destroyForcibly();
    }
    String log = Files.readString(dir.resolve("log.txt"));
    assertTrue(Files.exists(out), "the recording is complete: " + log);
    assertFalse(Files.exists(dir.resolve("stopped.avro.partial")));
    List<ClipRecord> records = new ArrayList<>();
    try (DataFileReader<ClipRecord> r =
        new DataFileReader<>(out.toFile(), new SpecificDatumReader<>(ClipRecord.class))) {
      r.forEach(records::add);
    }
    assertTrue(records.size() >= 1 && records.size() < 30, records.size() + " clips: " + log);
    for (int i = 0; i < records.size(); i++) {
      assertEquals(i, records.get(i).getSecond());
      assertEquals(
          i == records.size() - 1,
          records.get(i).getEndOfStream(),
          "end-of-stream on the last clip only");
    }
    assertTrue(log.contains("stopped"), log);
  }
}
