package io.cmstream.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code manifest.json} of a model bundle: what the model is, how its inputs are made, how it was
 * trained, and the sha256 of every file of the bundle. JSON schema: {@code
 * io/cmstream/schemas/manifest.schema.json} (same field names). Every component is validated on
 * construction, so a read manifest is a valid one.
 *
 * @param formatVersion manifest format version: {@link #FORMAT_VERSION} is written, every one of
 *     {@link #READABLE_FORMAT_VERSIONS} is read; it also says which encoder interface the bundle's
 *     {@code encoder.onnx} has ({@link #batchedEncoder()}, docs/bundle-contract.md section 3.1)
 * @param modelId model id (e.g. "cm-tiny-synth")
 * @param modelVersion model version (e.g. "1" or a date)
 * @param preset the trainer preset the model was built with (e.g. "tiny")
 * @param opset ONNX opset of {@code encoder.onnx} and {@code context_head.onnx}
 * @param clip how a clip tensor is made (T, stride, fps, input size, mean/std)
 * @param dims model dimensions C, C', K, N
 * @param window memory window used in training (seconds back, ahead)
 * @param classes the classes of the K outputs, in output order
 * @param training training data, seed, validation mAP and the exact commands
 * @param files sha256 (64 lower-case hex digits) of every file of the bundle but manifest.json, by
 *     path relative to the bundle folder with '/' separators
 */
@JsonPropertyOrder({
  "formatVersion",
  "modelId",
  "modelVersion",
  "preset",
  "opset",
  "clip",
  "dims",
  "window",
  "classes",
  "training",
  "files"
})
public record ModelManifest(
    int formatVersion,
    String modelId,
    String modelVersion,
    String preset,
    int opset,
    Clip clip,
    Dims dims,
    Window window,
    List<ClassEntry> classes,
    Training training,
    Map<String, String> files) {

  /** The manifest format this code writes: 2, whose encoder.onnx encodes a batch of clips. */
  public static final int FORMAT_VERSION = 2;

  /**
   * The manifest formats this code reads: 1 (encoder.onnx takes one clip [1,3,T,H,W]) and 2
   * (encoder.onnx takes N clips [N,3,T,H,W] and {@code box_clip}).
   */
  public static final List<Integer> READABLE_FORMAT_VERSIONS = List.of(1, 2);

  /** The file name of the manifest inside a bundle folder. */
  public static final String FILE_NAME = "manifest.json";

  public static final String ENCODER = "encoder.onnx";
  public static final String CONTEXT_HEAD = "context_head.onnx";
  public static final String LABEL_MAP = "labelmap.pbtxt";

  /** Files every bundle has (besides the DJL parameters under {@code params/}). */
  public static final List<String> REQUIRED_FILES = List.of(ENCODER, CONTEXT_HEAD, LABEL_MAP);

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public ModelManifest {
    if (!READABLE_FORMAT_VERSIONS.contains(formatVersion)) {
      throw new IllegalArgumentException(
          "formatVersion "
              + formatVersion
              + " is not supported (this build reads "
              + readableFormats()
              + ")");
    }
    require(modelId, "modelId");
    require(modelVersion, "modelVersion");
    require(preset, "preset");
    if (opset < 1) {
      throw new IllegalArgumentException("opset must be >= 1, got " + opset);
    }
    Objects.requireNonNull(clip, "clip is missing");
    Objects.requireNonNull(dims, "dims is missing");
    Objects.requireNonNull(window, "window is missing");
    Objects.requireNonNull(training, "training is missing");
    Objects.requireNonNull(classes, "classes is missing");
    classes = List.copyOf(classes);
    if (classes.size() != dims.numClasses()) {
      throw new IllegalArgumentException(
          "classes lists "
              + classes.size()
              + " classes but dims.numClasses is "
              + dims.numClasses());
    }
    Set<Integer> ids = new HashSet<>();
    for (ClassEntry c : classes) {
      if (!ids.add(c.id())) {
        throw new IllegalArgumentException("class id " + c.id() + " appears twice");
      }
    }
    Objects.requireNonNull(files, "files is missing");
    Map<String, String> sorted = new TreeMap<>();
    files.forEach(
        (path, sha) -> {
          checkRelativePath(path);
          if (sha == null || !SHA256.matcher(sha).matches()) {
            throw new IllegalArgumentException(
                "files." + path + " is not a sha256 (64 lower-case hex digits): " + sha);
          }
          sorted.put(path, sha);
        });
    files = java.util.Collections.unmodifiableMap(sorted);
  }

  /** The same manifest with another file list. */
  public ModelManifest withFiles(Map<String, String> newFiles) {
    return new ModelManifest(
        formatVersion,
        modelId,
        modelVersion,
        preset,
        opset,
        clip,
        dims,
        window,
        classes,
        training,
        newFiles);
  }

  /**
   * Whether encoder.onnx takes a batch of clips ([N,3,T,H,W] plus {@code box_clip}, format 2) or
   * one clip ([1,3,T,H,W], format 1).
   */
  public boolean batchedEncoder() {
    return formatVersion >= 2;
  }

  /** The readable format versions as text: "1 and 2". */
  static String readableFormats() {
    List<String> v = READABLE_FORMAT_VERSIONS.stream().map(String::valueOf).toList();
    return String.join(", ", v.subList(0, v.size() - 1)) + " and " + v.get(v.size() - 1);
  }

  /** "modelId:modelVersion", the id detections carry. */
  public String qualifiedId() {
    return modelId + ":" + modelVersion;
  }

  /** Class names in output order. */
  public List<String> classNames() {
    List<String> names = new ArrayList<>();
    classes.forEach(c -> names.add(c.name()));
    return names;
  }

  /**
   * How a clip tensor [3,T,H,W] is made from frames: the settings of the ava-tools clip pipeline
   * ({@code ClipSpec}), so that serving preprocesses exactly as training did. The input size is not
   * fixed: frames are resized so their short side is {@code shortSide} (the long side keeps the
   * aspect ratio), as PySlowFast evaluates AVA.
   *
   * @param frames T, frames per clip
   * @param stride frame stride between sampled frames (at {@code fps})
   * @param fps frame rate of the source the stride counts in
   * @param shortSide frames are resized so their short side is this many pixels (H or W of the
   *     input)
   * @param cropSize square crop used in training (0 = training cropped to the evaluation size)
   * @param mean per-channel (RGB) mean subtracted after scaling pixels to [0,1]
   * @param std per-channel (RGB) standard deviation divided by
   */
  @JsonPropertyOrder({"frames", "stride", "fps", "shortSide", "cropSize", "mean", "std"})
  public record Clip(
      int frames,
      int stride,
      double fps,
      int shortSide,
      int cropSize,
      List<Double> mean,
      List<Double> std) {
    public Clip {
      positive(frames, "clip.frames");
      positive(stride, "clip.stride");
      if (!(fps > 0) || Double.isInfinite(fps)) {
        throw new IllegalArgumentException("clip.fps must be > 0, got " + fps);
      }
      positive(shortSide, "clip.shortSide");
      if (cropSize < 0) {
        throw new IllegalArgumentException("clip.cropSize must be >= 0, got " + cropSize);
      }
      mean = rgb(mean, "clip.mean", false);
      std = rgb(std, "clip.std", true);
    }
  }

  /**
   * Model dimensions (docs/DESIGN.md section 1).
   *
   * @param channels C, channels of the RoI features
   * @param memoryChannels C', channels of key and memory (C / r)
   * @param numClasses K, number of action classes
   * @param clipsPerExample N, clips per training example
   */
  @JsonPropertyOrder({"channels", "memoryChannels", "numClasses", "clipsPerExample"})
  public record Dims(int channels, int memoryChannels, int numClasses, int clipsPerExample) {
    public Dims {
      positive(channels, "dims.channels");
      positive(memoryChannels, "dims.memoryChannels");
      positive(numClasses, "dims.numClasses");
      positive(clipsPerExample, "dims.clipsPerExample");
    }
  }

  /** The memory window used in training: seconds [t - back, t + ahead]. */
  @JsonPropertyOrder({"back", "ahead"})
  public record Window(int back, int ahead) {
    public Window {
      if (back < 0 || ahead < 0) {
        throw new IllegalArgumentException(
            "window.back and window.ahead must be >= 0, got " + back + ", " + ahead);
      }
    }
  }

  /** One class: label-map id and name. */
  @JsonPropertyOrder({"id", "name"})
  public record ClassEntry(int id, String name) {
    public ClassEntry {
      if (id < 1) {
        throw new IllegalArgumentException("class ids start at 1, got " + id);
      }
      require(name, "class " + id + " name");
    }
  }

  /**
   * How the model was trained.
   *
   * @param data name of the training data set (e.g. "synthetic-ava:seed=1,videos=40" or "AVA v2.2")
   * @param seed random seed of training
   * @param validationMap frame-mAP@0.5IoU on the validation split, in [0,1]
   * @param commands the exact commands that produced the bundle, in order
   */
  @JsonPropertyOrder({"data", "seed", "validationMap", "commands"})
  public record Training(String data, long seed, double validationMap, List<String> commands) {
    public Training {
      require(data, "training.data");
      if (!(validationMap >= 0 && validationMap <= 1)) {
        throw new IllegalArgumentException(
            "training.validationMap must be in [0,1], got " + validationMap);
      }
      Objects.requireNonNull(commands, "training.commands is missing");
      commands = List.copyOf(commands);
    }
  }

  static void checkRelativePath(String path) {
    if (path == null
        || path.isEmpty()
        || path.startsWith("/")
        || path.contains("\\")
        || path.contains("//")
        || List.of(path.split("/")).contains("..")
        || List.of(path.split("/")).contains(".")) {
      throw new IllegalArgumentException(
          "files: '" + path + "' is not a plain relative path inside the bundle");
    }
    if (path.equals(FILE_NAME)) {
      throw new IllegalArgumentException("files must not list " + FILE_NAME + " itself");
    }
  }

  private static void require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is missing or empty");
    }
  }

  private static void positive(int value, String what) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + value);
    }
  }

  private static List<Double> rgb(List<Double> values, String what, boolean strictlyPositive) {
    if (values == null || values.size() != 3) {
      throw new IllegalArgumentException(what + " must have 3 values (R,G,B), got " + values);
    }
    for (Double v : values) {
      if (v == null || v.isNaN() || v.isInfinite() || (strictlyPositive && v <= 0)) {
        throw new IllegalArgumentException(what + " has an invalid value: " + values);
      }
    }
    return List.copyOf(values);
  }
}
