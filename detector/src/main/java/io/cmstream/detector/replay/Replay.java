package io.cmstream.detector.replay;

import io.cmstream.ava.format.Box;
import io.cmstream.ava.format.DetectionRow;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.topology.DetectorTopology;
import io.cmstream.schemas.avro.ActionScore;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import io.cmstream.schemas.avro.PersonBox;
import io.cmstream.schemas.avro.PersonDetection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Recorded streams through the detector topology (TopologyTestDriver): every recording in order,
 * each clip's Kafka timestamp = its capture time (or media time). Recordings that do not end with
 * an end-of-stream clip are flushed at the end by the wall-clock timeout.
 */
public final class Replay {

  /** What a replay produced. */
  public record Result(
      List<DetectionRecord> detections, long clips, long deadLetters, double seconds) {
    public double clipsPerSecond() {
      return clips / Math.max(seconds, 1e-9);
    }
  }

  private Replay() {}

  public static Result run(
      DetectorConfig config,
      List<Path> recordings,
      DetectorTopology.Stores stores,
      LongConsumer bytesRead) {
    List<DetectionRecord> out = new ArrayList<>();
    long[] clips = {0};
    long deadLetters = 0;
    long start = System.nanoTime();
    try (ReplayDriver driver =
        new ReplayDriver(config, new DetectorMetrics(new SimpleMeterRegistry()), stores)) {
      long[] done = {0};
      for (Path file : recordings) {
        long before = done[0];
        RecordingReader.read(
            file,
            clip -> {
              driver.pipe(clip, timestamp(clip));
              clips[0]++;
              out.addAll(driver.detections());
            },
            pos -> bytesRead.accept(before + pos));
        done[0] = before + file.toFile().length();
        bytesRead.accept(done[0]);
      }
      driver.endOfInput();
      out.addAll(driver.detections());
      deadLetters = driver.deadLetters().size();
    }
    return new Result(out, clips[0], deadLetters, (System.nanoTime() - start) / 1e9);
  }

  /** The Kafka timestamp a recorded clip gets: capture time if known, else media time. */
  public static long timestamp(ClipRecord clip) {
    return clip.getCaptureTimeMs() != null ? clip.getCaptureTimeMs() : clip.getMediaTimeMs();
  }

  /** AVA detection rows: one per person and class. */
  public static List<DetectionRow> rows(List<DetectionRecord> detections) {
    List<DetectionRow> rows = new ArrayList<>();
    for (DetectionRecord d : detections) {
      for (PersonDetection p : d.getPersons()) {
        PersonBox b = p.getBox();
        Box box = new Box(b.getX1(), b.getY1(), b.getX2(), b.getY2());
        for (ActionScore a : p.getActions()) {
          rows.add(
              new DetectionRow(
                  d.getStreamId().toString(), d.getSecond(), box, a.getId(), a.getScore()));
        }
      }
    }
    return rows;
  }
}
