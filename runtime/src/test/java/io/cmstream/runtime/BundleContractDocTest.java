package io.cmstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.cmstream.schemas.manifest.BundleManifests;
import io.cmstream.schemas.manifest.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/bundle-contract.md against {@link GraphContract} and exported bundles: the names, dtypes and
 * shapes of its graph tables must be those of the contract (both encoder versions) and of the
 * graphs of the demo bundle (models/demo, formatVersion 2, written by {@code trainer export}) and
 * of its formatVersion 1 copy (src/test/resources/demo-v1, written by the exporter before the batch
 * axis), with the fixed symbols resolved from the manifest and the symbolic ones declared by name.
 */
class BundleContractDocTest {

  private static final Path DOC =
      Path.of(System.getProperty("cm.contract.doc", "../docs/bundle-contract.md"));
  private static final Path BUNDLE =
      Path.of(System.getProperty("cm.demo.bundle", "../models/demo"));
  private static final Path BUNDLE_V1 = Path.of("src/test/resources/demo-v1");
  private static final String ENCODER_V2 = "`encoder.onnx`, formatVersion 2";
  private static final String ENCODER_V1 = "`encoder.onnx`, formatVersion 1";
  private static final String HEAD = "`context_head.onnx`";

  /** One row of a graph table. */
  record Row(String kind, String name, String dtype, List<String> shape) {}

  @Test
  void shouldDescribeTheEncoderOfAnExportedBundle() throws Exception {
    assertEquals(2, BundleManifests.verify(BUNDLE).formatVersion(), "the demo is formatVersion 2");
    checkGraph(BUNDLE, ENCODER_V2, ModelManifest.ENCODER);
  }

  @Test
  void shouldDescribeTheEncoderOfAFormatOneBundle() throws Exception {
    assertEquals(1, BundleManifests.verify(BUNDLE_V1).formatVersion());
    checkGraph(BUNDLE_V1, ENCODER_V1, ModelManifest.ENCODER);
  }

  @Test
  void shouldDescribeTheContextHeadOfAnExportedBundle() throws Exception {
    checkGraph(BUNDLE, HEAD, ModelManifest.CONTEXT_HEAD);
    checkGraph(BUNDLE_V1, HEAD, ModelManifest.CONTEXT_HEAD);
  }

  @Test
  void shouldDescribeTheGraphContract() throws IOException {
    List<String> doc = Files.readAllLines(DOC);
    Map<String, String> symbols = symbols(doc);
    ModelManifest manifest = BundleManifests.verify(BUNDLE);
    GraphContract.Size t = GraphContract.Size.of(manifest.clip().frames());
    int c = manifest.dims().channels();
    int cp = manifest.dims().memoryChannels();
    checkContract(
        graphTable(doc, ENCODER_V2), GraphContract.encoder(true, t, c, cp), symbols, manifest);
    checkContract(
        graphTable(doc, ENCODER_V1), GraphContract.encoder(false, t, c, cp), symbols, manifest);
    checkContract(graphTable(doc, HEAD), GraphContract.contextHead(manifest), symbols, manifest);
  }

  @Test
  void shouldReadEveryTableOfTheContract() throws IOException {
    List<String> doc = Files.readAllLines(DOC);
    assertEquals(7, graphTable(doc, ENCODER_V2).size());
    assertEquals(6, graphTable(doc, ENCODER_V1).size());
    assertEquals(4, graphTable(doc, HEAD).size());
    assertEquals(
        Map.of(
            "T",
            "clip.frames",
            "C",
            "dims.channels",
            "C'",
            "dims.memoryChannels",
            "K",
            "dims.numClasses",
            "N",
            "symbolic",
            "R",
            "symbolic",
            "H",
            "symbolic",
            "W",
            "symbolic"),
        symbols(doc));
  }

  private void checkGraph(Path bundle, String heading, String file)
      throws IOException, OrtException {
    List<String> doc = Files.readAllLines(DOC);
    List<Row> rows = graphTable(doc, heading);
    Map<String, String> symbols = symbols(doc);
    ModelManifest manifest = BundleManifests.verify(bundle);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(Files.readAllBytes(bundle.resolve(file)), options)) {
      check(file, "input", rows, session.getInputInfo(), symbols, manifest);
      check(file, "output", rows, session.getOutputInfo(), symbols, manifest);
    }
  }

  private static void check(
      String file,
      String kind,
      List<Row> rows,
      Map<String, NodeInfo> actual,
      Map<String, String> symbols,
      ModelManifest manifest) {
    Map<String, Row> documented = new LinkedHashMap<>();
    rows.stream().filter(r -> r.kind().equals(kind)).forEach(r -> documented.put(r.name(), r));
    assertEquals(documented.keySet(), actual.keySet(), file + " " + kind + "s");
    for (Row row : documented.values()) {
      String where = file + " " + kind + " " + row.name();
      TensorInfo info = (TensorInfo) actual.get(row.name()).getInfo();
      assertEquals(javaType(row.dtype()), info.type, where);
      long[] shape = info.getShape();
      String[] dimNames = info.getDimensionNames();
      assertEquals(row.shape().size(), shape.length, where + " rank");
      for (int i = 0; i < shape.length; i++) {
        String dim = row.shape().get(i);
        String at = where + " dimension " + i + " (" + dim + ")";
        if (dim.matches("\\d+")) {
          assertEquals(Long.parseLong(dim), shape[i], at);
        } else if ("symbolic".equals(symbols.get(dim))) {
          assertEquals(-1, shape[i], at + " must be symbolic");
          assertEquals(dim, dimNames[i], at + " name");
        } else {
          assertTrue(symbols.containsKey(dim), at + " is not in the contract's symbol table");
          assertEquals(manifestValue(manifest, symbols.get(dim)), shape[i], at);
        }
      }
    }
  }

  /** The rows of a table against a graph of {@link GraphContract}, in order. */
  private static void checkContract(
      List<Row> rows,
      GraphContract.Graph graph,
      Map<String, String> symbols,
      ModelManifest manifest) {
    List<String> documented = rows.stream().map(r -> r.kind() + " " + r.name()).toList();
    List<String> contract = new ArrayList<>();
    graph.inputs().forEach(t -> contract.add("input " + t.name()));
    graph.outputs().forEach(t -> contract.add("output " + t.name()));
    assertEquals(contract, documented, graph.file() + " inputs and outputs, in order");
    for (Row row : rows) {
      String where = graph.file() + " " + row.kind() + " " + row.name();
      GraphContract.Tensor t =
          row.kind().equals("input") ? graph.input(row.name()) : graph.output(row.name());
      assertEquals(t.dtype(), row.dtype(), where);
      assertEquals(row.shape().size(), t.shape().size(), where + " rank");
      for (int i = 0; i < row.shape().size(); i++) {
        String dim = row.shape().get(i);
        GraphContract.Size size = t.shape().get(i);
        String at = where + " dimension " + i + " (" + dim + ")";
        if (dim.matches("\\d+")) {
          assertEquals(GraphContract.Size.of(Long.parseLong(dim)), size, at);
        } else if ("symbolic".equals(symbols.get(dim))) {
          assertTrue(size.value() < 0, at + " must not be fixed");
          assertEquals(dim, size.name(), at + " name");
        } else {
          assertTrue(symbols.containsKey(dim), at + " is not in the contract's symbol table");
          assertEquals(manifestValue(manifest, symbols.get(dim)), size.value(), at);
        }
      }
    }
  }

  private static OnnxJavaType javaType(String dtype) {
    return switch (dtype) {
      case "float32" -> OnnxJavaType.FLOAT;
      case "int64" -> OnnxJavaType.INT64;
      default -> throw new AssertionError("the contract names an unknown dtype " + dtype);
    };
  }

  private static long manifestValue(ModelManifest m, String field) {
    return switch (field) {
      case "clip.frames" -> m.clip().frames();
      case "dims.channels" -> m.dims().channels();
      case "dims.memoryChannels" -> m.dims().memoryChannels();
      case "dims.numClasses" -> m.dims().numClasses();
      default -> throw new AssertionError("the contract names an unknown manifest field " + field);
    };
  }

  /** The rows of the table under the heading that contains {@code heading}. */
  static List<Row> graphTable(List<String> doc, String heading) {
    List<Row> rows = new ArrayList<>();
    for (List<String> cells : table(doc, heading)) {
      String shape = cells.get(3);
      assertTrue(shape.startsWith("[") && shape.endsWith("]"), "shape " + shape);
      List<String> dims = new ArrayList<>();
      for (String d : shape.substring(1, shape.length() - 1).split(",")) {
        dims.add(d.trim());
      }
      rows.add(new Row(cells.get(0), strip(cells.get(1)), cells.get(2), dims));
    }
    assertFalse(rows.isEmpty(), "no table for " + heading);
    return rows;
  }

  /** Symbol -> manifest field or "symbolic", from the symbol table of section 3. */
  static Map<String, String> symbols(List<String> doc) {
    Map<String, String> symbols = new LinkedHashMap<>();
    for (List<String> cells : table(doc, "## 3. The graphs")) {
      String symbol = strip(cells.get(0));
      symbols.put(symbol, cells.get(1).equals("symbolic") ? "symbolic" : strip(cells.get(2)));
    }
    return symbols;
  }

  /**
   * Body rows (cells trimmed) of the first table after the first line containing {@code marker}.
   */
  private static List<List<String>> table(List<String> doc, String marker) {
    int i = 0;
    while (i < doc.size() && !(doc.get(i).startsWith("#") && doc.get(i).contains(marker))) {
      i++;
    }
    assertTrue(i < doc.size(), "no heading with " + marker);
    while (i < doc.size() && !doc.get(i).startsWith("|")) {
      i++;
    }
    List<List<String>> rows = new ArrayList<>();
    for (i += 2; i < doc.size() && doc.get(i).startsWith("|"); i++) {
      String line = doc.get(i).trim();
      List<String> cells = new ArrayList<>();
      for (String c : line.substring(1, line.length() - 1).split("\\|")) {
        cells.add(c.trim());
      }
      rows.add(cells);
    }
    return rows;
  }

  private static String strip(String code) {
    return code.replace("`", "");
  }
}
