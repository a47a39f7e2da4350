package io.cmstream.detector.model;

import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.runtime.EncoderInput;
import io.cmstream.runtime.EncoderOutput;
import java.util.List;

/**
 * The two ONNX graphs of one model bundle, ready to run on one thread (one set of sessions per
 * stream thread). Not thread-safe.
 */
public interface ClipInference extends AutoCloseable {

  /** Runs encoder.onnx on a clip tensor and its person boxes ([R,4] normalised x1,y1,x2,y2). */
  EncoderOutput encode(ClipTensor clip, float[] boxes);

  /**
   * Runs encoder.onnx on clips of the same T,H,W: one call for a batched (format 2) encoder, one
   * call per clip for a format 1 one; each output equals that of {@link #encode} on the clip alone.
   *
   * @return one output per clip, in the order of {@code clips}
   * @throws IllegalArgumentException if the clips differ in T,H,W
   */
  List<EncoderOutput> encodeBatch(List<EncoderInput> clips);

  /** The encoder input of a clip tensor and its boxes. */
  static EncoderInput input(ClipTensor clip, float[] boxes) {
    return new EncoderInput(clip.data(), clip.frames(), clip.height(), clip.width(), boxes);
  }

  /** Runs context_head.onnx; returns the [R][K] scores. */
  float[][] scores(float[] roiFeats, int rows, float[] key, float[] memory);

  @Override
  void close();
}
