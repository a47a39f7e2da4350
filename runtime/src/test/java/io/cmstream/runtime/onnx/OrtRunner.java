package io.cmstream.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: runs a model written by {@link OnnxModelWriter} in a real ONNX Runtime session. */
final class OrtRunner implements AutoCloseable {

  /** A float input value. */
  record In(float[] data, long... shape) {}

  /** An int64 input value. */
  record LongIn(long[] data, long... shape) {}

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OrtRunner(OnnxModel model) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(1);
      session = env.createSession(new OnnxModelWriter().toBytes(model), options);
    }
  }

  OrtSession session() {
    return session;
  }

  /** Runs with named inputs ({@link In} or {@link LongIn}); returns every output as floats. */
  Map<String, float[]> run(Map<String, Object> inputs) throws OrtException {
    Map<String, OnnxTensor> tensors = new HashMap<>();
    try {
      for (Map.Entry<String, Object> e : inputs.entrySet()) {
        if (e.getValue() instanceof In in) {
          tensors.put(
              e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(in.data()), in.shape()));
        } else if (e.getValue() instanceof LongIn in) {
          tensors.put(
              e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(in.data()), in.shape()));
        }
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      try (OrtSession.Result result = session.run(tensors)) {
        for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
          FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
          float[] v = new float[fb.remaining()];
          fb.get(v);
          out.put(e.getKey(), v);
        }
      }
      return out;
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  /** The shape ORT reports for an output after running. */
  long[] outputShape(Map<String, Object> inputs, String output) throws OrtException {
    Map<String, OnnxTensor> tensors = new HashMap<>();
    try {
      for (Map.Entry<String, Object> e : inputs.entrySet()) {
        if (e.getValue() instanceof In in) {
          tensors.put(
              e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(in.data()), in.shape()));
        } else if (e.getValue() instanceof LongIn in) {
          tensors.put(
              e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(in.data()), in.shape()));
        }
      }
      try (OrtSession.Result result = session.run(tensors)) {
        return ((OnnxTensor) result.get(output).orElseThrow()).getInfo().getShape();
      }
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
