package io.cmstream.streamer.video;

import org.bytedeco.opencv.opencv_core.Mat;

/** Receives frames resampled to the model's fps, in index order. */
public interface ResampledFrameSink {
  /**
   * @param index frame index at the model's fps (time = index / fps)
   * @param sourceMicros media time of the decoded frame it was taken from
   * @param captureMs wall-clock time that decoded frame was captured (epoch ms), -1 when unknown
   * @param frame BGR image, valid only during the call
   */
  void accept(int index, long sourceMicros, long captureMs, Mat frame);

  /** The input ended after {@code frameCount} resampled frames. */
  void finish(int frameCount);
}
