package io.cmstream.detector.model;

import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.runtime.EncoderOutput;

/**
 * The two ONNX graphs of one model bundle, ready to run on one thread (one set of sessions per
 * stream thread). Not thread-safe.
 */
public interface ClipInference extends AutoCloseable {

  /** Runs encoder.onnx on a clip tensor and its person boxes ([R,4] normalised x1,y1,x2,y2). */
  EncoderOutput encode(ClipTensor clip, float[] boxes);

  /** Runs context_head.onnx; returns the [R][K] scores. */
  float[][] scores(float[] roiFeats, int rows, float[] key, float[] memory);

  @Override
  void close();
}
