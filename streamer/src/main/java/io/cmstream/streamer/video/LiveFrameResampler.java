package io.cmstream.streamer.video;

import io.cmstream.ava.video.FrameInstants;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Resamples decoded frames to a fixed frame rate BY TIMESTAMP, with the rule of the shared clip
 * pipeline's frame extraction ({@link FrameInstants}, also used by {@code ava-tools frames}):
 * output frame k (time k/fps) is the last decoded frame whose media time is {@code <= k/fps}
 * (within 1 ms), i.e. the frame on screen at that instant. Frames are repeated or dropped as the
 * rates require, so variable-frame-rate sources stay in sync. This one works on OpenCV mats (no
 * copy to Java arrays) and keeps one decoded frame, which it copies. For a live stream it hands a
 * frame on as soon as it is known to be the frame on screen: a frame that lands on an output
 * instant (within 1 ms) goes out when it is decoded, not when the next one arrives (the offline
 * rule would pick a later frame only if two frames came less than 2 ms apart). Not thread-safe.
 */
public final class LiveFrameResampler implements AutoCloseable {
  private final FrameInstants instants;
  private final ResampledFrameSink sink;
  private final Mat held = new Mat();
  private long heldMicros = -1;
  private long heldCaptureMs = -1;
  private int next;

  public LiveFrameResampler(double fps, ResampledFrameSink sink) {
    this.instants = new FrameInstants(fps);
    this.sink = sink;
  }

  /**
   * Feeds the next decoded frame (shown from media time {@code mediaMicros} on); times must
   * increase.
   */
  public void accept(long mediaMicros, Mat frame) {
    accept(mediaMicros, -1, frame);
  }

  /**
   * Like {@link #accept(long, Mat)}, with the wall-clock time the frame was captured (-1 =
   * unknown).
   */
  public void accept(long mediaMicros, long captureMs, Mat frame) {
    if (heldMicros >= 0) {
      if (mediaMicros <= heldMicros) {
        throw new IllegalArgumentException(
            "media times must increase: " + mediaMicros + " after " + heldMicros);
      }
      while (instants.before(next, mediaMicros)) {
        sink.accept(next++, heldMicros, heldCaptureMs, held);
      }
    }
    frame.copyTo(held);
    heldMicros = mediaMicros;
    heldCaptureMs = captureMs;
    while (instants.notAfter(next, mediaMicros)) {
      sink.accept(next++, heldMicros, heldCaptureMs, held);
    }
  }

  /**
   * Ends the input: output frames up to {@code endMicros} (the end time of the last decoded frame)
   * show the last decoded frame; then the sink learns the frame count.
   */
  public void finish(long endMicros) {
    if (heldMicros >= 0) {
      while (instants.before(next, endMicros)) {
        sink.accept(next++, heldMicros, heldCaptureMs, held);
      }
    }
    sink.finish(next);
  }

  /** Number of output frames so far. */
  public int emitted() {
    return next;
  }

  @Override
  public void close() {
    held.close();
  }
}
