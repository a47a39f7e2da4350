package io.cmstream.streamer.clip;

import io.cmstream.common.clip.ClipSpec;

/**
 * When the clip of each keyframe second can be cut from a stream of frames at the model's fps.
 * Frame indices come from the shared clip pipeline ({@link ClipSpec#frameIndicesAround}), so
 * serving samples exactly as training does; this class adds what a stream needs on top: which
 * frames must have arrived before a second's clip is complete, and how many whole seconds a stream
 * of {@code n} frames has.
 */
public record ClipTiming(ClipSpec spec) {

  public double fps() {
    return spec.fps();
  }

  /** Index (at the model's fps) of the keyframe of second {@code second}. */
  public int keyframeIndex(int second) {
    return spec.centerFrame(second);
  }

  /** The clip's frame indices, clamped at the start only (the end is not known yet). */
  public int[] openIndices(int second) {
    return spec.frameIndicesAround(keyframeIndex(second), Integer.MAX_VALUE);
  }

  /** The clip's frame indices in a stream that ended after {@code frameCount} frames. */
  public int[] closedIndices(int second, int frameCount) {
    return spec.frameIndicesAround(keyframeIndex(second), frameCount);
  }

  /**
   * The last frame that must exist before the clip of second {@code second} can be cut: its own
   * last frame. Waiting for the rest of the second would only add latency: the clip holds no other
   * frame.
   */
  public int lastFrameNeeded(int second) {
    int[] idx = openIndices(second);
    return idx[idx.length - 1];
  }

  /**
   * Number of whole seconds of an input whose duration is known ({@code lengthMicros > 0}: a file),
   * or {@link Integer#MAX_VALUE} when it is not (a live source: any second may be whole).
   */
  public int wholeSecondsOfLength(long lengthMicros) {
    if (lengthMicros <= 0) {
      return Integer.MAX_VALUE;
    }
    // the resampler's frames: k / fps before the end (within 1 ms)
    return wholeSeconds((int) Math.ceil((lengthMicros - 1000) * spec.fps() / 1e6));
  }

  /**
   * Number of whole seconds (clips) in a stream of {@code frameCount} frames at the model's fps.
   */
  public int wholeSeconds(int frameCount) {
    int s = (int) Math.floor(frameCount / spec.fps() + 1e-9);
    while (s > 0 && (int) Math.round(s * spec.fps()) > frameCount) {
      s--;
    }
    return s;
  }
}
