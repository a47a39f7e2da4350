package io.cmstream.detector.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.runtime.ContextHeadRunner;
import io.cmstream.runtime.EncoderInput;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.runtime.EncoderRunner;
import io.cmstream.runtime.ModelBundle;
import io.cmstream.runtime.OrtSessionFactory;
import java.util.List;

/**
 * {@link ClipInference} on the runtime's {@link EncoderRunner} and {@link ContextHeadRunner}: two
 * real ONNX Runtime sessions of one thread.
 */
public final class OnnxClipInference implements ClipInference {

  private final EncoderRunner encoder;
  private final ContextHeadRunner head;
  private final Runnable release;

  private OnnxClipInference(EncoderRunner encoder, ContextHeadRunner head, Runnable release) {
    this.encoder = encoder;
    this.head = head;
    this.release = release;
  }

  /** The sessions of an opened bundle (closed with this). */
  public static OnnxClipInference of(ModelBundle bundle) {
    return new OnnxClipInference(bundle.encoder(), bundle.contextHead(), bundle::close);
  }

  /** Opens both graphs from their bytes (graphs that are not a bundle, e.g. in tests). */
  public static OnnxClipInference open(
      byte[] encoderOnnx,
      byte[] headOnnx,
      int channels,
      int memoryChannels,
      int classes,
      OrtSessionFactory sessions) {
    OrtSession enc = null;
    try {
      enc = sessions.create(encoderOnnx);
      EncoderRunner encoder = new EncoderRunner(enc, channels, memoryChannels);
      ContextHeadRunner head =
          new ContextHeadRunner(sessions.create(headOnnx), channels, memoryChannels, classes);
      return new OnnxClipInference(encoder, head, () -> closeRunners(encoder, head));
    } catch (OrtException e) {
      if (enc != null) {
        try {
          enc.close();
        } catch (OrtException ignored) {
          // already failing
        }
      }
      throw new IllegalStateException(
          "cannot open the model's ONNX sessions: " + e.getMessage(), e);
    }
  }

  @Override
  public EncoderOutput encode(ClipTensor clip, float[] boxes) {
    return encodeBatch(List.of(ClipInference.input(clip, boxes))).get(0);
  }

  @Override
  public List<EncoderOutput> encodeBatch(List<EncoderInput> clips) {
    try {
      return encoder.encodeBatch(clips);
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
    release.run();
  }

  private static void closeRunners(EncoderRunner encoder, ContextHeadRunner head) {
    try (encoder;
        head) {
      // closed by try-with-resources
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close ONNX sessions: " + e.getMessage(), e);
    }
  }
}
