package io.cmstream.detector.cli;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.EncodeBatch;
import io.cmstream.detector.ThreadBudget;
import io.cmstream.detector.model.BundleLoader;
import io.cmstream.detector.model.DetectorModel;
import io.cmstream.detector.model.FramePolicy;
import io.cmstream.detector.state.SecondPolicy;
import io.cmstream.detector.state.WindowPolicy;
import io.cmstream.runtime.Device;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by run, replay and bench: the bundle and the window/policy settings. */
final class ModelOptions {

  @Option(
      names = "--bundle",
      required = true,
      paramLabel = "DIR",
      description =
          "model bundle folder (manifest.json, encoder.onnx, context_head.onnx, labelmap.pbtxt)")
  Path bundle;

  @Option(
      names = "--back",
      paramLabel = "S",
      description = "memory seconds before t (default: the bundle's training window)")
  Integer back;

  @Option(
      names = "--ahead",
      paramLabel = "S",
      description =
          "lookahead seconds after t, <= training ahead (default: the training ahead; 0 = causal)")
  Integer ahead;

  @Option(
      names = "--grace",
      paramLabel = "S",
      description = "out-of-order slack in seconds (default: ${DEFAULT-VALUE})")
  int grace = DetectorConfig.Defaults.GRACE;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "wall-clock wait before a pending second is emitted anyway, ISO-8601 or seconds (default: 10s)")
  String timeout;

  @Option(
      names = "--max-boxes",
      paramLabel = "N",
      description = "person boxes per clip above this go to the DLQ (default: ${DEFAULT-VALUE})")
  int maxBoxes = DetectorConfig.Defaults.MAX_BOXES;

  @Option(
      names = "--max-jump",
      paramLabel = "S",
      description =
          "a clip more than S seconds ahead of its stream's newest second goes to the DLQ (default: ${DEFAULT-VALUE})")
  int maxJump = DetectorConfig.Defaults.MAX_FORWARD_JUMP;

  @Option(
      names = "--device",
      paramLabel = "D",
      description = "cpu | cuda | auto (default: ${DEFAULT-VALUE})")
  String device = "cpu";

  @Option(
      names = "--ort-threads",
      paramLabel = "N",
      description =
          "ONNX Runtime intra-op threads per session, 0 = its default (default: ${DEFAULT-VALUE}; see ThreadBudget)")
  int ortThreads = ThreadBudget.INTRA_OP_THREADS;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description =
          "clips of a task's streams encoded together; 1 = each clip as it arrives, no queue (default: ${DEFAULT-VALUE})")
  int batch = EncodeBatch.OFF.size();

  @Option(
      names = "--batch-wait",
      paramLabel = "DURATION",
      description =
          "longest wall-clock wait of a queued clip when --batch > 1, ISO-8601 or seconds (default: 0.05)")
  String batchWait;

  @Option(names = "--clips-topic", description = "default: ${DEFAULT-VALUE}")
  String clipsTopic = Topics.CLIPS;

  @Option(names = "--detections-topic", description = "default: ${DEFAULT-VALUE}")
  String detectionsTopic = Topics.DETECTIONS;

  @Option(names = "--dlq-topic", description = "default: ${DEFAULT-VALUE}")
  String dlqTopic = Topics.CLIPS_DLQ;

  DetectorConfig config() {
    DetectorModel model =
        BundleLoader.load(
            bundle,
            SessionSettings.defaults().withDevice(Device.parse(device)).withThreads(ortThreads, 1));
    DetectorConfig base = DetectorConfig.defaults(model);
    FramePolicy frames = base.frames();
    WindowPolicy window =
        new WindowPolicy(
            back == null ? model.trainingBack() : back,
            ahead == null ? model.trainingAhead() : ahead,
            grace);
    DetectorConfig config =
        base.withWindow(window)
            .withFrames(
                new FramePolicy(
                    frames.frames(), frames.minShortSide(), frames.maxLongSide(), maxBoxes))
            .withTopics(topics())
            .withSeconds(new SecondPolicy(maxJump))
            .withBatch(
                new EncodeBatch(
                    batch,
                    batchWait == null ? EncodeBatch.OFF.maxWait() : parseDuration(batchWait)));
    return timeout == null ? config : config.withTimeout(parseDuration(timeout));
  }

  /** The topic names (known without loading the bundle). */
  Topics topics() {
    return Topics.named(clipsTopic, detectionsTopic, dlqTopic);
  }

  static Duration parseDuration(String text) {
    try {
      return text.matches("\\d+(\\.\\d+)?")
          ? Duration.ofMillis((long) (Double.parseDouble(text) * 1000))
          : Duration.parse(text.startsWith("P") ? text : "PT" + text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read duration '" + text + "' (e.g. 10, 10s, PT1M)");
    }
  }
}
