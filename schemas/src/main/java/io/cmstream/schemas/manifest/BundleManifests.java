package io.cmstream.schemas.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
    try {
      return mapper().readValue(json, ModelManifest.class);
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof IllegalArgumentException || cause instanceof NullPointerException
          ? cause.getMessage() : e.getOriginalMessage();
      throw new InvalidBundleException(ModelManifest.FILE_NAME + " is invalid: " + why + location(e), e);
    } catch (JsonProcessingException e) {
      throw new InvalidBundleException(ModelManifest.FILE_NAME + " is not valid JSON: " + e.getOriginalMessage()
          + location(e), e);
    }
  }

  /** Hashes every file of {@code bundleDir} into the manifest and writes {@code manifest.json}. */
  public static ModelManifest seal(Path bundleDir, ModelManifest manifest) {
    Map<String, String> files = FileDigests.ofBundle(bundleDir);
    for (String required : ModelManifest.REQUIRED_FILES) {
      if (!files.containsKey(required)) {
        throw new InvalidBundleException("model bundle " + bundleDir + ": " + required + " is missing; cannot seal");
      }
    }
    ModelManifest sealed = manifest.withFiles(files);
    try {
      Files.writeString(bundleDir.resolve(ModelManifest.FILE_NAME), toJson(sealed), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + bundleDir.resolve(ModelManifest.FILE_NAME), e);
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
      throw new InvalidBundleException("model bundle " + bundleDir + ": " + ModelManifest.FILE_NAME + " is missing");
    }
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (InvalidBundleException e) {
      throw new InvalidBundleException("model bundle " + bundleDir + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidBundleException("model bundle " + bundleDir + ": cannot read " + ModelManifest.FILE_NAME
          + ": " + e.getMessage(), e);
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
        throw new InvalidBundleException("model bundle " + bundleDir + ": " + required
            + " is not listed in " + ModelManifest.FILE_NAME);
      }
    }
    for (Map.Entry<String, String> entry : manifest.files().entrySet()) {
      Path file = bundleDir.resolve(entry.getKey());
      if (!Files.isRegularFile(file)) {
        throw new InvalidBundleException("model bundle " + bundleDir + ": file " + entry.getKey()
            + " is missing (listed in " + ModelManifest.FILE_NAME + ")");
      }
      String actual = FileDigests.sha256(file);
      if (!actual.equals(entry.getValue())) {
        throw new InvalidBundleException("model bundle " + bundleDir + ": file " + entry.getKey()
            + " was altered (sha256 " + actual + ", " + ModelManifest.FILE_NAME + " says " + entry.getValue() + ")");
      }
    }
    return manifest;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }
}
