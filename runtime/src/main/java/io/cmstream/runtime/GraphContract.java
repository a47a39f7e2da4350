package io.cmstream.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Map;

/** Checks that a session's graph has the inputs and outputs of the contract, with clear messages. */
final class GraphContract {
  private GraphContract() {}

  /**
   * Requires every name with its rank; a fixed expected size (>= 0) must match the graph's fixed
   * size. Expected dims of -1 are not checked.
   */
  static void require(String graph, Map<String, NodeInfo> actual, String kind, Map<String, long[]> expected) {
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      NodeInfo info = actual.get(e.getKey());
      if (info == null) {
        throw new IllegalArgumentException(graph + " has no " + kind + " '" + e.getKey() + "' (has " + actual.keySet() + ")");
      }
      if (!(info.getInfo() instanceof TensorInfo t)) {
        throw new IllegalArgumentException(graph + " " + kind + " '" + e.getKey() + "' is not a tensor");
      }
      long[] shape = t.getShape();
      long[] want = e.getValue();
      boolean ok = shape.length == want.length;
      for (int i = 0; ok && i < want.length; i++) {
        ok = want[i] < 0 || shape[i] < 0 || shape[i] == want[i];
      }
      if (!ok) {
        throw new IllegalArgumentException(graph + " " + kind + " '" + e.getKey() + "' has shape "
            + java.util.Arrays.toString(shape) + ", expected " + java.util.Arrays.toString(want));
      }
    }
  }

  static void requireInputs(String graph, OrtSession s, Map<String, long[]> expected) throws OrtException {
    require(graph, s.getInputInfo(), "input", expected);
  }

  static void requireOutputs(String graph, OrtSession s, Map<String, long[]> expected) throws OrtException {
    require(graph, s.getOutputInfo(), "output", expected);
  }
}
