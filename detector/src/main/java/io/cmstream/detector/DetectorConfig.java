package io.cmstream.detector;

import io.cmstream.detector.model.DetectorModel;
import io.cmstream.detector.model.FramePolicy;
import io.cmstream.detector.state.SecondPolicy;
import io.cmstream.detector.state.WindowPolicy;
import io.cmstream.schemas.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the topology is built from. Every default lives in {@link Defaults}.
 *
 * @param model the loaded model bundle
 * @param window back/ahead/grace in seconds (ahead at most the training ahead)
 * @param frames input policy: frame count and size, box cap
 * @param timeout wall-clock time after which a pending clip is emitted with whatever part of its
 *     window has arrived
 * @param topics topic names and serdes
 * @param seconds accepted range of {@code second} and the largest forward jump per stream
 * @param batch how clips of the task's streams are batched for the encoder (default: off)
 */
public record DetectorConfig(
    DetectorModel model,
    WindowPolicy window,
    FramePolicy frames,
    Duration timeout,
    Topics topics,
    SecondPolicy seconds,
    EncodeBatch batch) {

  public DetectorConfig {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(seconds, "seconds");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
    }
    if (!model.trainingWindow().allowsAhead(window.ahead())) {
      throw new IllegalArgumentException(
          "ahead "
              + window.ahead()
              + " exceeds the model's training ahead "
              + model.trainingAhead()
              + " (the head never saw such a memory)");
    }
    if (frames.frames() != model.clipSpec().frames()) {
      throw new IllegalArgumentException(
          "frame policy wants "
              + frames.frames()
              + " frames but the model takes "
              + model.clipSpec().frames());
    }
  }

  /** The defaults: the model's training window, no extra grace beyond {@link Defaults#GRACE}. */
  public static DetectorConfig defaults(DetectorModel model) {
    return new DetectorConfig(
        model,
        new WindowPolicy(model.trainingBack(), model.trainingAhead(), Defaults.GRACE),
        Defaults.framePolicy(model),
        Defaults.TIMEOUT,
        Topics.defaults(),
        new SecondPolicy(Defaults.MAX_FORWARD_JUMP),
        EncodeBatch.OFF);
  }

  public DetectorConfig withWindow(WindowPolicy w) {
    return new DetectorConfig(model, w, frames, timeout, topics, seconds, batch);
  }

  /**
   * This configuration reading {@code ahead} seconds ahead (at most the training ahead; 0 =
   * causal).
   */
  public DetectorConfig withAhead(int ahead) {
    return withWindow(new WindowPolicy(window.back(), ahead, window.grace()));
  }

  public DetectorConfig withTimeout(Duration t) {
    return new DetectorConfig(model, window, frames, t, topics, seconds, batch);
  }

  public DetectorConfig withFrames(FramePolicy f) {
    return new DetectorConfig(model, window, f, timeout, topics, seconds, batch);
  }

  public DetectorConfig withTopics(Topics t) {
    return new DetectorConfig(model, window, frames, timeout, t, seconds, batch);
  }

  public DetectorConfig withSeconds(SecondPolicy s) {
    return new DetectorConfig(model, window, frames, timeout, topics, s, batch);
  }

  public DetectorConfig withBatch(EncodeBatch b) {
    return new DetectorConfig(model, window, frames, timeout, topics, seconds, b);
  }

  /** Every default of the detector, in one commented place. */
  public static final class Defaults {
    /** Out-of-order slack: a clip may arrive this many seconds behind the newest one. */
    public static final int GRACE = 2;

    /** Emit a pending clip at the latest this long (wall clock) after it arrived. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Person boxes per clip above this go to the DLQ (AVA has at most ~20 people per frame). */
    public static final int MAX_BOXES = 64;

    /**
     * Frames must be at least this fraction of the model's short side (no blowing up thumbnails).
     */
    public static final double MIN_SHORT_SIDE_FRACTION = 0.5;

    /** Frames larger than this (long side, pixels) are refused: 4K is the upper end of cameras. */
    public static final int MAX_LONG_SIDE = 4096;

    /**
     * A clip more than this many seconds ahead of its stream's newest second goes to the DLQ
     * (FORWARD_JUMP): an hour covers a camera or network outage; a longer gap needs a new stream
     * id.
     */
    public static final int MAX_FORWARD_JUMP = 3600;

    private Defaults() {}

    public static FramePolicy framePolicy(DetectorModel model) {
      int minShort =
          Math.max(1, (int) Math.ceil(model.clipSpec().shortSide() * MIN_SHORT_SIDE_FRACTION));
      return new FramePolicy(model.clipSpec().frames(), minShort, MAX_LONG_SIDE, MAX_BOXES);
    }
  }
}
