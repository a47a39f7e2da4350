package io.cmstream.runtime.onnx;

import java.util.Map;
import java.util.Objects;

/**
 * A whole model file ({@code ModelProto}): one graph, the IR version, the opset of the default
 * domain, producer and free-form metadata ({@code metadata_props}).
 */
public record OnnxModel(
    OnnxGraph graph,
    long irVersion,
    long opsetVersion,
    String producerName,
    String producerVersion,
    Map<String, String> metadata) {

  /** IR version 8 is the one that goes with opset 17. */
  public static final long IR_VERSION = 8;

  /** The opset this project writes. */
  public static final long OPSET = 17;

  public OnnxModel {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(producerName, "producerName");
    Objects.requireNonNull(producerVersion, "producerVersion");
    metadata = Map.copyOf(metadata);
    if (opsetVersion < OPSET) {
      throw new IllegalArgumentException("opset " + opsetVersion + " < " + OPSET);
    }
  }

  /** A model on IR 8 / opset 17 with the given producer and metadata. */
  public static OnnxModel of(
      OnnxGraph graph, String producerVersion, Map<String, String> metadata) {
    return new OnnxModel(graph, IR_VERSION, OPSET, "cm-stream", producerVersion, metadata);
  }
}
