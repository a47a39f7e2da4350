package io.cmstream.runtime;

import static io.cmstream.runtime.GraphContract.KEY;
import static io.cmstream.runtime.GraphContract.MEMORY;
import static io.cmstream.runtime.GraphContract.ROI_FEATS;
import static io.cmstream.runtime.GraphContract.SCORES;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Runs the context head graph ({@code context_head.onnx}): roi_feats [R,C], key [C'], memory
 * [C',C'] -> scores [R,K] (sigmoid probabilities). Owns its session.
 */
public final class ContextHeadRunner implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final int channels;
  private final int memoryChannels;
  private final int classes;

  public ContextHeadRunner(OrtSession session, int channels, int memoryChannels, int classes)
      throws OrtException {
    this.session = session;
    this.channels = channels;
    this.memoryChannels = memoryChannels;
    this.classes = classes;
    GraphContract.contextHead(channels, memoryChannels, classes).requireCompatible(session);
  }

  /** Scores [R][K] of one clip's boxes under a memory. */
  public float[][] scores(EncoderOutput clip, float[] memory) throws OrtException {
    return scores(clip.roiFeats(), clip.boxes(), clip.key(), memory);
  }

  /** Scores [R][K] from roi_feats [R*C], key [C'] and memory [C'*C']. */
  public float[][] scores(float[] roiFeats, int boxes, float[] key, float[] memory)
      throws OrtException {
    if (roiFeats.length != (long) boxes * channels
        || key.length != memoryChannels
        || memory.length != memoryChannels * memoryChannels) {
      throw new IllegalArgumentException(
          "context head inputs do not match C=" + channels + ", C'=" + memoryChannels);
    }
    try (OnnxTensor r =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(roiFeats), new long[] {boxes, channels});
        OnnxTensor k =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(key), new long[] {memoryChannels});
        OnnxTensor m =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(memory), new long[] {memoryChannels, memoryChannels});
        OrtSession.Result out = session.run(Map.of(ROI_FEATS, r, KEY, k, MEMORY, m))) {
      float[] flat = EncoderRunner.floats(out, SCORES);
      float[][] s = new float[boxes][classes];
      for (int i = 0; i < boxes; i++) {
        System.arraycopy(flat, i * classes, s[i], 0, classes);
      }
      return s;
    }
  }

  public int classes() {
    return classes;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
