package io.cmstream.app.demo;

import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.replay.Replay;
import io.cmstream.detector.state.WindowPolicy;
import io.cmstream.detector.topology.DetectorTopology;
import java.nio.file.Path;
import java.util.List;

/**
 * The clips a demo streamed, scored again with the memory window cut to the clip itself ({@code [t,
 * t]}: the model without context), through the detector's own topology ({@link Replay}); the report
 * sets them against the served scores to show what the memory adds.
 */
public final class ClipOnlyScores {
  public static final String CSV = "detections_clip_only.csv";

  private ClipOnlyScores() {}

  /**
   * Replays {@code recording} with the window [t, t] and writes its AVA detections to {@code out}.
   */
  public static Path write(DetectorConfig served, Path recording, Path out) {
    DetectorConfig clipOnly = served.withWindow(new WindowPolicy(0, 0, served.window().grace()));
    Replay.Result r =
        Replay.run(clipOnly, List.of(recording), DetectorTopology.Stores.IN_MEMORY, b -> {});
    DetectionsCsv.write(out, Replay.rows(r.detections()));
    return out;
  }
}
