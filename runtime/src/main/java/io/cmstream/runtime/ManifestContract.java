package io.cmstream.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.cmstream.schemas.manifest.ModelManifest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inputs and outputs the two graphs of a bundle must have, exactly, with the shapes its
 * manifest implies (docs/bundle-contract.md section 3): names, float32, clip [1,3,T,H,W] with the
 * manifest's T, H, W (a symbolic dimension is compatible), C, C', K. {@link #DYNAMIC} marks the
 * box dimension R, which the graph must declare symbolic. Stricter than the runners' own check
 * ({@link GraphContract}), which does not know the manifest.
 */
final class ManifestContract {

  static final long DYNAMIC = -1;
  /** Any size, fixed or symbolic (H and W of the clip follow the frame's aspect ratio). */
  static final long ANY = -2;

  private final String file;
  private final Map<String, long[]> inputs;
  private final Map<String, long[]> outputs;

  private ManifestContract(String file, Map<String, long[]> inputs, Map<String, long[]> outputs) {
    this.file = file;
    this.inputs = inputs;
    this.outputs = outputs;
  }

  static ManifestContract encoder(ModelManifest m) {
    ModelManifest.Clip clip = m.clip();
    int c = m.dims().channels();
    int cp = m.dims().memoryChannels();
    Map<String, long[]> in = new LinkedHashMap<>();
    in.put("clip", new long[] {1, 3, clip.frames(), ANY, ANY});
    in.put("boxes", new long[] {DYNAMIC, 4});
    Map<String, long[]> out = new LinkedHashMap<>();
    out.put("roi_feats", new long[] {DYNAMIC, c});
    out.put("key", new long[] {cp});
    out.put("contribution", new long[] {cp, cp});
    out.put("weight", new long[] {1});
    return new ManifestContract(ModelManifest.ENCODER, in, out);
  }

  static ManifestContract contextHead(ModelManifest m) {
    int c = m.dims().channels();
    int cp = m.dims().memoryChannels();
    Map<String, long[]> in = new LinkedHashMap<>();
    in.put("roi_feats", new long[] {DYNAMIC, c});
    in.put("key", new long[] {cp});
    in.put("memory", new long[] {cp, cp});
    Map<String, long[]> out = new LinkedHashMap<>();
    out.put("scores", new long[] {DYNAMIC, m.dims().numClasses()});
    return new ManifestContract(ModelManifest.CONTEXT_HEAD, in, out);
  }

  /**
   * Checks a session against the contract.
   *
   * @throws IllegalArgumentException naming the first input/output that differs
   */
  void check(OrtSession session) throws OrtException {
    check("input", inputs, session.getInputInfo());
    check("output", outputs, session.getOutputInfo());
  }

  private void check(String kind, Map<String, long[]> expected, Map<String, NodeInfo> actual) {
    if (!actual.keySet().equals(expected.keySet())) {
      throw new IllegalArgumentException(file + " has " + kind + "s " + actual.keySet() + " but the contract needs "
          + expected.keySet());
    }
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      if (!(actual.get(e.getKey()).getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT) {
        throw new IllegalArgumentException(file + " " + kind + " " + e.getKey() + " is not a float32 tensor");
      }
      long[] shape = info.getShape();
      if (!matches(e.getValue(), shape)) {
        throw new IllegalArgumentException(file + " " + kind + " " + e.getKey() + " has shape " + show(shape, e.getValue())
            + " but the manifest implies " + show(e.getValue(), e.getValue()));
      }
    }
  }

  private static boolean matches(long[] expected, long[] actual) {
    if (expected.length != actual.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      // R must be symbolic; a symbolic dimension where a fixed size is expected is compatible
      boolean ok = expected[i] == ANY
          || (expected[i] == DYNAMIC ? actual[i] < 0 : actual[i] == expected[i] || actual[i] < 0);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Shape as text: R for the box dimension, ? for other symbolic dimensions, * for any size. */
  private static String show(long[] shape, long[] expected) {
    String[] parts = new String[shape.length];
    for (int i = 0; i < shape.length; i++) {
      long e = i < expected.length ? expected[i] : 0;
      parts[i] = shape[i] == ANY ? "*" : shape[i] < 0 ? (e == DYNAMIC ? "R" : "?") : Long.toString(shape[i]);
    }
    return Arrays.toString(parts);
  }
}
