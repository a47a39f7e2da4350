package io.cmstream.detector.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.cmstream.ava.clip.Clip;
import io.cmstream.detector.state.Contribution;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * {@link ClipInference} on two real ONNX Runtime sessions (encoder.onnx and context_head.onnx,
 * the graph contract of the project). CPU sessions; one instance per thread.
 */
public final class OnnxClipInference implements ClipInference {

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession encoder;
  private final OrtSession head;

  public OnnxClipInference(byte[] encoderOnnx, byte[] headOnnx, int intraOpThreads) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(intraOpThreads);
      encoder = env.createSession(encoderOnnx, options);
      head = env.createSession(headOnnx, options);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot open ONNX Runtime sessions: " + e.getMessage(), e);
    }
  }

  @Override
  public EncodedClip encode(Clip clip, float[] boxes) {
    int rows = boxes.length / 4;
    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(clip.data()),
            new long[] {1, 3, clip.frames(), clip.height(), clip.width()});
        OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(boxes), new long[] {rows, 4});
        OrtSession.Result out = encoder.run(Map.of("clip", x, "boxes", b))) {
      OnnxTensor roi = (OnnxTensor) out.get("roi_feats").orElseThrow();
      long[] roiShape = roi.getInfo().getShape();
      float[] key = floats(out, "key");
      float[] contribution = floats(out, "contribution");
      float[] weight = floats(out, "weight");
      return new EncodedClip(rows, (int) roiShape[1], floats(roi), key,
          new Contribution(key.length, contribution, weight[0]));
    } catch (OrtException e) {
      throw new IllegalStateException("encoder.onnx failed: " + e.getMessage(), e);
    }
  }

  @Override
  public float[] scores(int rows, int channels, float[] roiFeats, float[] key, float[] memory) {
    try (OnnxTensor r = OnnxTensor.createTensor(env, FloatBuffer.wrap(roiFeats), new long[] {rows, channels});
        OnnxTensor k = OnnxTensor.createTensor(env, FloatBuffer.wrap(key), new long[] {key.length});
        OnnxTensor m = OnnxTensor.createTensor(env, FloatBuffer.wrap(memory), new long[] {key.length, key.length});
        OrtSession.Result out = head.run(Map.of("roi_feats", r, "key", k, "memory", m))) {
      return floats(out, "scores");
    } catch (OrtException e) {
      throw new IllegalStateException("context_head.onnx failed: " + e.getMessage(), e);
    }
  }

  private static float[] floats(OrtSession.Result out, String name) {
    return floats((OnnxTensor) out.get(name).orElseThrow(() -> new IllegalStateException("graph has no output " + name)));
  }

  private static float[] floats(OnnxTensor t) {
    FloatBuffer fb = t.getFloatBuffer();
    float[] v = new float[fb.remaining()];
    fb.get(v);
    return v;
  }

  @Override
  public void close() {
    try {
      encoder.close();
      head.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
