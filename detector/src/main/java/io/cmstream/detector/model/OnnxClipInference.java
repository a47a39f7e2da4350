package io.cmstream.detector.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.cmstream.ava.clip.Clip;
import io.cmstream.runtime.ContextHeadRunner;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.runtime.EncoderRunner;

/**
 * {@link ClipInference} on the runtime's {@link EncoderRunner} and {@link ContextHeadRunner}:
 * two real ONNX Runtime sessions of one thread.
 */
public final class OnnxClipInference implements ClipInference {

  private final EncoderRunner encoder;
  private final ContextHeadRunner head;

  public OnnxClipInference(EncoderRunner encoder, ContextHeadRunner head) {
    this.encoder = encoder;
    this.head = head;
  }

  /** Opens both graphs from their bytes with the given session options. */
  public static OnnxClipInference open(byte[] encoderOnnx, byte[] headOnnx, int channels, int memoryChannels,
      int classes, OrtSession.SessionOptions options) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession enc = null;
    try {
      enc = env.createSession(encoderOnnx, options);
      EncoderRunner encoder = new EncoderRunner(enc, channels, memoryChannels);
      OrtSession hd = env.createSession(headOnnx, options);
      return new OnnxClipInference(encoder, new ContextHeadRunner(hd, channels, memoryChannels, classes));
    } catch (OrtException e) {
      closeQuietly(enc);
      throw new IllegalStateException("cannot open the model's ONNX sessions: " + e.getMessage(), e);
    } finally {
      options.close();
    }
  }

  @Override
  public EncoderOutput encode(Clip clip, float[] boxes) {
    try {
      return encoder.encode(clip.data(), clip.frames(), clip.height(), clip.width(), boxes);
    } catch (OrtException e) {
      throw new IllegalStateException("encoder.onnx failed: " + e.getMessage(), e);
    }
  }

  @Override
  public float[][] scores(float[] roiFeats, int rows, float[] key, float[] memory) {
    try {
      return head.scores(roiFeats, rows, key, memory);
    } catch (OrtException e) {
      throw new IllegalStateException("context_head.onnx failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      encoder.close();
      head.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close ONNX sessions: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(OrtSession s) {
    if (s != null) {
      try {
        s.close();
      } catch (OrtException ignored) {
        // already failing
      }
    }
  }
}
