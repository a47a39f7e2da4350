package io.cmstream.schemas.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writing, reading and verifying the {@code manifest.json} of a model bundle folder.
 *
 * <pre>{@code
 * // trainer, after writing encoder.onnx, context_head.onnx, labelmap.pbtxt, params/ into dir:
 * ModelManifest sealed = BundleManifests.seal(dir, manifestWithoutFiles);
 * // detector / trainer infer:
 * ModelManifest m = BundleManifests.verify(dir);   // InvalidBundleException naming the file
 * }</pre>
 */
public final class BundleManifests {

  private BundleManifests() {}

  private static ObjectMapper mapper() {
    return new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** The manifest as JSON text (stable field order, indented, newline at the end). */
  public static String toJson(ModelManifest manifest) {
    try {
      return mapper().writeValueAsString(manifest) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write manifest as JSON", e);
    }
  }

  /**
   * Parses manifest JSON text.
   *
   * @throws InvalidBundleException with the first problem (unknown field, missing field, bad value)
   */
  public static ModelManifest fromJson(String json) {
    ObjectMapper mapper = mapper();
    try {
      JsonNode tree = mapper.readTree(json);
      if (tree == null || !tree.isObject()) {
        throw new InvalidBundleException(ModelManifest.FILE_NAME + " is not a JSON object");
      }
      JsonNode format = tree.get("formatVersion");
      if (format == null
          || !format.canConvertToInt()
          || !ModelManifest.READABLE_FORMAT_VERSIONS.contains(format.asInt())) {
        throw new InvalidBundleException(
            ModelManifest.FILE_NAME
                + " has formatVersion "
                + format
                + "; this build reads formatVersion "
                + ModelManifest.readableFormats());
      }
      return mapper.treeToValue(tree, ModelManifest.class);
    } catch (UnrecognizedPropertyException e) {
      throw invalid("unknown field " + path(e, e.getPropertyName()), e);
    } catch (MismatchedInputException e) {
      String message = e.getOriginalMessage();
      if (message.startsWith("Missing creator property")) {
        String field = message.replaceFirst("^Missing creator property '([^']*)'.*$", "$1");
        throw invalid("missing field " + path(e, field), e);
      }
      throw invalid(
          "field "
              + path(e, null)
              + " has a wrong type: "
              + message.replaceFirst("\\s*\\(set DeserializationConfig.*$", ""),
          e);
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      String why =
          cause instanceof IllegalArgumentException || cause instanceof NullPointerException
              ? cause.getMessage()
              : e.getOriginalMessage();
      throw invalid(why, e);
    } catch (JsonProcessingException e) {
      throw new InvalidBundleException(
          ModelManifest.FILE_NAME + " is not valid JSON: " + e.getOriginalMessage() + location(e),
          e);
    }
  }

  private static InvalidBundleException invalid(String why, Throwable cause) {
    return new InvalidBundleException(ModelManifest.FILE_NAME + " is invalid: " + why, cause);
  }

  /** Dotted path of the field a mapping error is about, e.g. clip.frames or classes[2].name. */
  private static String path(JsonMappingException e, String leaf) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    if (leaf != null && !out.toString().endsWith(leaf)) {
      out.append(out.length() == 0 ? "" : ".").append(leaf);
    }
    return out.length() == 0 ? "(top level)" : out.toString();
  }

  /** Hashes every file of {@code bundleDir} into the manifest and writes {@code manifest.json}. */
  public static ModelManifest seal(Path bundleDir, ModelManifest manifest) {
    Map<String, String> files = FileDigests.ofBundle(bundleDir);
    for (String required : ModelManifest.REQUIRED_FILES) {
      if (!files.containsKey(required)) {
        throw new InvalidBundleException(
            "model bundle " + bundleDir + ": " + required + " is missing; cannot seal");
      }
    }
    ModelManifest sealed = manifest.withFiles(files);
    try {
      Files.writeString(
          bundleDir.resolve(ModelManifest.FILE_NAME), toJson(sealed), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + bundleDir.resolve(ModelManifest.FILE_NAME), e);
    }
    return sealed;
  }

  /** Reads {@code manifest.json} of a bundle folder without checking the files. */
  public static ModelManifest read(Path bundleDir) {
    Path file = bundleDir.resolve(ModelManifest.FILE_NAME);
    if (!Files.isDirectory(bundleDir)) {
      throw new InvalidBundleException("model bundle " + bundleDir + " is not a folder");
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidBundleException(
          "model bundle " + bundleDir + ": " + ModelManifest.FILE_NAME + " is missing");
    }
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (InvalidBundleException e) {
      throw new InvalidBundleException("model bundle " + bundleDir + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidBundleException(
          "model bundle "
              + bundleDir
              + ": cannot read "
              + ModelManifest.FILE_NAME
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Reads the manifest and checks the bundle against it: the required files are listed, and every
   * listed file exists with the listed sha256. Files not listed are ignored.
   *
   * @throws InvalidBundleException naming the first missing or altered file
   */
  public static ModelManifest verify(Path bundleDir) {
    ModelManifest manifest = read(bundleDir);
    for (String required : ModelManifest.REQUIRED_FILES) {
      if (!manifest.files().containsKey(required)) {
        throw new InvalidBundleException(
            "model bundle "
                + bundleDir
                + ": "
                + required
                + " is not listed in "
                + ModelManifest.FILE_NAME);
      }
    }
    for (Map.Entry<String, String> entry : manifest.files().entrySet()) {
      Path file = bundleDir.resolve(entry.getKey());
      if (!Files.isRegularFile(file)) {
        throw new InvalidBundleException(
            "model bundle "
                + bundleDir
                + ": file "
                + entry.getKey()
                + " is missing (listed in "
                + ModelManifest.FILE_NAME
                + ")");
      }
      String actual = FileDigests.sha256(file);
      if (!actual.equals(entry.getValue())) {
        throw new InvalidBundleException(
            "model bundle "
                + bundleDir
                + ": file "
                + entry.getKey()
                + " was altered (sha256 "
                + actual
                + ", "
                + ModelManifest.FILE_NAME
                + " says "
                + entry.getValue()
                + ")");
      }
    }
    return manifest;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }
}
