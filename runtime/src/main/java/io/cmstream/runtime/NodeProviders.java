package io.cmstream.runtime;

import static io.cmstream.runtime.GraphContract.BOXES;
import static io.cmstream.runtime.GraphContract.CLIP;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cmstream.common.clip.ClipSpec;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which execution provider ran each node of the encoder graph: one profiled run on a clip of the
 * bundle's size (two person boxes), read from ONNX Runtime's profile ("Node" events, {@code
 * args.provider}). A node CUDA cannot run falls back to the CPU provider; this shows it.
 */
public final class NodeProviders {

  private static final String KERNEL_TIME = "_kernel_time";

  private NodeProviders() {}

  /**
   * Node name -> provider (e.g. CUDAExecutionProvider), in name order, for a clip of the bundle's
   * short side in 4:3.
   */
  public static Map<String, String> ofEncoder(
      OrtSessionFactory sessions, byte[] encoderOnnx, ClipSpec spec)
      throws OrtException, IOException {
    return ofEncoder(
        sessions, encoderOnnx, spec.frames(), spec.shortSide(), spec.shortSide() * 4 / 3);
  }

  /** Node name -> provider, in name order, for a [1,3,t,h,w] clip. */
  public static Map<String, String> ofEncoder(
      OrtSessionFactory sessions, byte[] encoderOnnx, int t, int h, int w)
      throws OrtException, IOException {
    Path dir = Files.createTempDirectory("cm-ort-profile-");
    try {
      String profile;
      try (OrtSession session = sessions.createProfiled(encoderOnnx, dir.resolve("encoder"))) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor clip =
                OnnxTensor.createTensor(
                    env, FloatBuffer.wrap(new float[3 * t * h * w]), new long[] {1, 3, t, h, w});
            OnnxTensor boxes =
                OnnxTensor.createTensor(
                    env,
                    FloatBuffer.wrap(new float[] {0.1f, 0.1f, 0.5f, 0.9f, 0.4f, 0.2f, 0.9f, 0.8f}),
                    new long[] {2, 4});
            OrtSession.Result ignored = session.run(Map.of(CLIP, clip, BOXES, boxes))) {
          profile = session.endProfiling();
        }
      }
      return parse(Files.readString(Path.of(profile)));
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Node name -> provider from the text of an ONNX Runtime profile (a JSON array of trace events).
   */
  static Map<String, String> parse(String profileJson) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode event : new ObjectMapper().readTree(profileJson)) {
      String name = event.path("name").asText("");
      JsonNode provider = event.path("args").path("provider");
      if ("Node".equals(event.path("cat").asText())
          && name.endsWith(KERNEL_TIME)
          && provider.isTextual()) {
        out.put(name.substring(0, name.length() - KERNEL_TIME.length()), provider.asText());
      }
    }
    return out;
  }
}
