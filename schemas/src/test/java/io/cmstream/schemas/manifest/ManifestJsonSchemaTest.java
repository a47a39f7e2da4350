package io.cmstream.schemas.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The published JSON schema and the Java record describe the same document. */
class ManifestJsonSchemaTest {

  private static JsonNode schema() throws IOException {
    try (InputStream in =
        ModelManifest.class.getResourceAsStream("/io/cmstream/schemas/manifest.schema.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  void shouldDeclareExactlyTheRecordFieldsAsRequired() throws IOException {
    JsonNode root = schema();
    Map<JsonNode, Class<?>> objects =
        Map.of(
            root,
            ModelManifest.class,
            root.at("/properties/clip"),
            ModelManifest.Clip.class,
            root.at("/properties/dims"),
            ModelManifest.Dims.class,
            root.at("/properties/window"),
            ModelManifest.Window.class,
            root.at("/properties/classes/items"),
            ModelManifest.ClassEntry.class,
            root.at("/properties/training"),
            ModelManifest.Training.class);
    objects.forEach(
        (node, type) -> {
          Set<String> components = new TreeSet<>();
          Arrays.stream(type.getRecordComponents())
              .map(RecordComponent::getName)
              .forEach(components::add);
          assertEquals(
              components,
              names(node.get("properties").fieldNames()),
              type.getSimpleName() + " properties");
          Set<String> required = new TreeSet<>();
          node.get("required").forEach(n -> required.add(n.asText()));
          assertEquals(components, required, type.getSimpleName() + " required");
          assertEquals(
              false,
              node.get("additionalProperties").asBoolean(),
              type.getSimpleName() + " closed");
        });
  }

  @Test
  void shouldRequireTheSameFilesAsTheRecord() throws IOException {
    Set<String> required = new TreeSet<>();
    schema().at("/properties/files/required").forEach(n -> required.add(n.asText()));
    assertEquals(new TreeSet<>(ModelManifest.REQUIRED_FILES), required);
  }

  @Test
  void shouldListTheReadableFormatVersions() throws IOException {
    List<Integer> versions = new ArrayList<>();
    schema().at("/properties/formatVersion/enum").forEach(n -> versions.add(n.asInt()));
    assertEquals(ModelManifest.READABLE_FORMAT_VERSIONS, versions);
    assertTrue(versions.contains(ModelManifest.FORMAT_VERSION), "the written version is readable");
  }

  private static Set<String> names(Iterator<String> it) {
    Set<String> out = new TreeSet<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
