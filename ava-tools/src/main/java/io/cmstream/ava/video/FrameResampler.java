package io.cmstream.ava.video;

import io.cmstream.ava.clip.RgbImage;
import java.util.function.ObjIntConsumer;

/**
 * Resamples decoded frames to a fixed rate by timestamp, the rule of {@link FrameInstants}: output
 * frame {@code k} (time {@code k / fps}) is the last decoded frame whose presentation time is
 * {@code <= k / fps} (within 1 ms), i.e. the frame on screen at that instant; frames are repeated
 * or dropped as the rates require. Output frame 0 is the first decoded frame. Feed frames in
 * presentation order, then call {@link #finish}.
 */
public final class FrameResampler {
  private final FrameInstants instants;
  private final ObjIntConsumer<RgbImage> sink;
  private RgbImage current;
  private double start = Double.NaN;
  private double lastTime;
  private double lastStep;
  private int next;

  /**
   * @param sink receives (image, output index) for each output frame
   */
  public FrameResampler(double fps, ObjIntConsumer<RgbImage> sink) {
    this.instants = new FrameInstants(fps);
    this.sink = sink;
  }

  /** Adds the decoded frame shown from time {@code seconds} on. */
  public void accept(double seconds, RgbImage image) {
    if (Double.isNaN(start)) {
      start = seconds;
    } else {
      double t = seconds - start;
      // every output instant before this frame shows the previous frame
      while (instants.before(next, t * 1e6)) {
        sink.accept(current, next++);
      }
      lastStep = t - lastTime;
    }
    current = image;
    lastTime = seconds - start;
  }

  /** Emits the output frames up to the end of the last decoded frame; returns the frame count. */
  public int finish() {
    if (current != null) {
      double end = lastTime + (lastStep > 0 ? lastStep : 1 / instants.fps());
      while (instants.before(next, end * 1e6)) {
        sink.accept(current, next++);
      }
    }
    return next;
  }
}
