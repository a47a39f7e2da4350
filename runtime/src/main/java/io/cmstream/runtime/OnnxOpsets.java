package io.cmstream.runtime;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator sets an ONNX file imports ({@code ModelProto.opset_import}, field 8:
 * {@code OperatorSetIdProto} with domain = 1, version = 2), read straight from the protobuf wire
 * format without parsing the graph.
 */
public final class OnnxOpsets {

  /** The default ONNX operator domain, written as "" (or "ai.onnx"). */
  public static final String DEFAULT_DOMAIN = "";
  /** Oldest opset of the default domain the runtime accepts (what the trainer writes). */
  public static final long MIN_SUPPORTED = 17;
  /** Newest opset of the default domain ONNX Runtime 1.23 implements. */
  public static final long MAX_SUPPORTED = 23;

  private static final int OPSET_IMPORT = 8;

  private OnnxOpsets() {}

  /**
   * Domain -> version of every imported operator set ("ai.onnx" is reported as "").
   *
   * @throws IOException if the bytes are not a protobuf message
   */
  public static Map<String, Long> read(byte[] model) throws IOException {
    Map<String, Long> opsets = new TreeMap<>();
    CodedInputStream in = CodedInputStream.newInstance(model);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == OPSET_IMPORT
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        readOpset(CodedInputStream.newInstance(in.readByteArray()), opsets);
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return opsets;
  }

  /**
   * The opset of the default domain, checked to be one this runtime supports.
   *
   * @throws IllegalArgumentException with the reason, if it is missing, unsupported, or another domain is imported
   */
  public static long supportedDefaultOpset(Map<String, Long> opsets) {
    for (String domain : opsets.keySet()) {
      if (!domain.equals(DEFAULT_DOMAIN)) {
        throw new IllegalArgumentException("imports operator domain '" + domain + "' (only the default ONNX domain is supported)");
      }
    }
    Long version = opsets.get(DEFAULT_DOMAIN);
    if (version == null) {
      throw new IllegalArgumentException("imports no ONNX opset");
    }
    if (version < MIN_SUPPORTED || version > MAX_SUPPORTED) {
      throw new IllegalArgumentException("uses opset " + version + ", which is not supported (supported: "
          + MIN_SUPPORTED + ".." + MAX_SUPPORTED + ")");
    }
    return version;
  }

  private static void readOpset(CodedInputStream in, Map<String, Long> into) throws IOException {
    String domain = "";
    long version = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> domain = in.readString();
        case 2 -> version = in.readInt64();
        default -> in.skipField(tag);
      }
    }
    into.put(domain.equals("ai.onnx") ? DEFAULT_DOMAIN : domain, version);
  }
}
