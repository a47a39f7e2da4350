package io.cmstream.trainer.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A fixture folder written by {@code tools/import-parity/slowfast_parity.py} or {@code
 * mmaction2_twin.py}: a source checkpoint, its config, label map, an input clip, boxes and the
 * source's own scores.
 *
 * @param from the {@code trainer import --from} source: {@code mmaction2} for the twin's fixtures
 */
record SourceFixture(
    Path dir,
    Path checkpoint,
    Path config,
    Path labelMap,
    float[] input,
    long[] inputShape,
    float[] boxes,
    float[][] scores,
    String from) {

  /** A fixture folder; a classification (Kinetics) fixture has no clip, boxes or scores (null). */
  static SourceFixture of(Path dir) throws IOException {
    JsonNode e = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
    String from = e.path("source").asText("").startsWith("mmaction2") ? "mmaction2" : "pyslowfast";
    Path config = dir.resolve(from.equals("mmaction2") ? "config.json" : "config.yaml");
    Path ckpt;
    try (Stream<Path> files = Files.list(dir)) {
      ckpt =
          files
              .filter(p -> p.getFileName().toString().startsWith("checkpoint."))
              .findFirst()
              .orElseThrow();
    }
    if (e.get("scores").isNull()) {
      return new SourceFixture(
          dir, ckpt, config, dir.resolve("labelmap.pbtxt"), null, null, null, null, from);
    }
    long[] shape = new long[e.get("input_shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = e.get("input_shape").get(i).asLong();
    }
    ByteBuffer b =
        ByteBuffer.wrap(Files.readAllBytes(dir.resolve("input.bin")))
            .order(ByteOrder.LITTLE_ENDIAN);
    float[] input = new float[b.remaining() / 4];
    b.asFloatBuffer().get(input);
    JsonNode bx = e.get("boxes");
    float[] boxes = new float[bx.size() * 4];
    for (int i = 0; i < bx.size(); i++) {
      for (int j = 0; j < 4; j++) {
        boxes[i * 4 + j] = (float) bx.get(i).get(j).asDouble();
      }
    }
    JsonNode s = e.get("scores");
    float[][] scores = new float[s.size()][];
    for (int i = 0; i < s.size(); i++) {
      scores[i] = new float[s.get(i).size()];
      for (int j = 0; j < scores[i].length; j++) {
        scores[i][j] = (float) s.get(i).get(j).asDouble();
      }
    }
    return new SourceFixture(
        dir, ckpt, config, dir.resolve("labelmap.pbtxt"), input, shape, boxes, scores, from);
  }

  /** A fixture committed under {@code src/test/resources/import/}. */
  static SourceFixture resource(String name) throws IOException {
    try {
      return of(
          Path.of(SourceFixture.class.getResource("/import/" + name + "/expected.json").toURI())
              .getParent());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }

  int frames() {
    return (int) inputShape[2];
  }

  int height() {
    return (int) inputShape[3];
  }

  int width() {
    return (int) inputShape[4];
  }
}
