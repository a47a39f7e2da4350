package io.cmstream.runtime;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import onnx.Onnx;

/**
 * The operator sets an ONNX file imports ({@code ModelProto.opset_import}), read with the classes
 * generated from onnx.proto: the top-level fields are scanned and only the opset entries parsed, so
 * the graph and its weights are skipped, not copied.
 */
public final class OnnxOpsets {

  /** The default ONNX operator domain, written as "" (or "ai.onnx"). */
  public static final String DEFAULT_DOMAIN = "";

  /** Oldest opset of the default domain the runtime accepts (what the trainer writes). */
  public static final long MIN_SUPPORTED = 17;

  /** Newest opset of the default domain ONNX Runtime 1.23 implements. */
  public static final long MAX_SUPPORTED = 23;

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
      if (WireFormat.getTagFieldNumber(tag) == Onnx.ModelProto.OPSET_IMPORT_FIELD_NUMBER
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        Onnx.OperatorSetIdProto opset = Onnx.OperatorSetIdProto.parseFrom(in.readBytes());
        String domain = opset.getDomain();
        opsets.put(domain.equals("ai.onnx") ? DEFAULT_DOMAIN : domain, opset.getVersion());
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return opsets;
  }

  /**
   * The opset of the default domain, checked to be one this runtime supports.
   *
   * @throws IllegalArgumentException with the reason, if it is missing, unsupported, or another
   *     domain is imported
   */
  public static long supportedDefaultOpset(Map<String, Long> opsets) {
    for (String domain : opsets.keySet()) {
      if (!domain.equals(DEFAULT_DOMAIN)) {
        throw new IllegalArgumentException(
            "imports operator domain '" + domain + "' (only the default ONNX domain is supported)");
      }
    }
    Long version = opsets.get(DEFAULT_DOMAIN);
    if (version == null) {
      throw new IllegalArgumentException("imports no ONNX opset");
    }
    if (version < MIN_SUPPORTED || version > MAX_SUPPORTED) {
      throw new IllegalArgumentException(
          "uses opset "
              + version
              + ", which is not supported (supported: "
              + MIN_SUPPORTED
              + ".."
              + MAX_SUPPORTED
              + ")");
    }
    return version;
  }
}
