package io.cmstream.trainer.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.cmstream.runtime.onnx.OnnxModel;
import io.cmstream.runtime.onnx.OnnxModelWriter;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: runs an exported graph in a real ONNX Runtime session (all optimisations). */
final class OrtPair implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OrtPair(OnnxModel model) throws OrtException {
    this(new OnnxModelWriter().toBytes(model));
  }

  OrtPair(byte[] bytes) throws OrtException {
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setIntraOpNumThreads(1);
      session = env.createSession(bytes, o);
    }
  }

  /** Named float or int64 inputs (data, shape) -> every output as floats. */
  Map<String, float[]> run(Map<String, Object[]> inputs) throws OrtException {
    Map<String, OnnxTensor> t = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Object[]> e : inputs.entrySet()) {
        long[] shape = (long[]) e.getValue()[1];
        t.put(
            e.getKey(),
            e.getValue()[0] instanceof long[] longs
                ? OnnxTensor.createTensor(env, LongBuffer.wrap(longs), shape)
                : OnnxTensor.createTensor(env, FloatBuffer.wrap((float[]) e.getValue()[0]), shape));
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      try (OrtSession.Result r = session.run(t)) {
        for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
          FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
          float[] v = new float[fb.remaining()];
          fb.get(v);
          out.put(e.getKey(), v);
        }
      }
      return out;
    } finally {
      t.values().forEach(OnnxTensor::close);
    }
  }

  static Object[] in(float[] data, long... shape) {
    return new Object[] {data, shape};
  }

  static Object[] in(long[] data, long... shape) {
    return new Object[] {data, shape};
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
