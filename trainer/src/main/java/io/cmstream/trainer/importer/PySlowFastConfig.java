package io.cmstream.trainer.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cmstream.trainer.model.BackboneSpec;
import io.cmstream.trainer.model.InputNormalization;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.model.StageSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The architecture a PySlowFast YAML config describes, read over PySlowFast's own defaults ({@code
 * slowfast/config/defaults.py}) where the file is silent. Read: MODEL.ARCH, MODEL_NAME,
 * NUM_CLASSES, DROPOUT_RATE, HEAD_ACT; RESNET.DEPTH, NUM_GROUPS, WIDTH_PER_GROUP, TRANS_FUNC,
 * STRIDE_1X1, NUM_BLOCK_TEMP_KERNEL, SPATIAL_STRIDES, SPATIAL_DILATIONS; NONLOCAL.LOCATION;
 * DATA.NUM_FRAMES, SAMPLING_RATE, TRAIN_CROP_SIZE, TEST_CROP_SIZE, MEAN, STD, INPUT_CHANNEL_NUM;
 * DETECTION.ENABLE, ALIGNED, SPATIAL_SCALE_FACTOR, ROI_XFORM_RESOLUTION; AVA.BGR; BN.NORM_TYPE.
 *
 * <p>Supported: the Slow-only ResNet-50/101 ({@code ARCH: slow}, {@code MODEL_NAME: ResNet},
 * bottleneck blocks, one group). A classification (Kinetics) config gives the backbone of the
 * detection model PySlowFast fine-tunes from it: res5 at spatial stride 1 and dilation 2, the
 * detection head's defaults.
 *
 * @param config the model (memory none, the sources' one-layer head)
 * @param detection true: an AVA config (DETECTION.ENABLE), whose head the checkpoint brings
 * @param sourceClasses MODEL.NUM_CLASSES
 * @param bgr true: the source fed BGR frames (AVA.BGR)
 * @param adapted what was changed to make a classification config a detection one, or empty
 */
public record PySlowFastConfig(
    ModelConfig config, boolean detection, int sourceClasses, boolean bgr, String adapted) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<Integer, int[]> STAGE_DEPTH =
      Map.of(50, new int[] {3, 4, 6, 3}, 101, new int[] {3, 4, 23, 3});

  /** PySlowFast's _TEMPORAL_KERNEL_BASIS["slow"] for res2..res5. */
  private static final int[] SLOW_TEMPORAL_KERNELS = {1, 1, 3, 3};

  static final String SUPPORTED =
      "supported: Slow-only ResNet-50/101 (MODEL.ARCH slow, MODEL_NAME ResNet, "
          + "bottleneck_transform, NUM_GROUPS 1); SlowFast two-pathway, X3D and MViT are not";

  public static PySlowFastConfig read(Path yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml.toFile());
    } catch (IOException e) {
      throw new SourceFormatException(
          "cannot read PySlowFast config "
              + yaml
              + ": "
              + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new SourceFormatException(
          yaml + " is not a PySlowFast YAML config (no mapping at the top)");
    }
    return of(root, yaml.getFileName().toString());
  }

  static PySlowFastConfig of(JsonNode root, String name) {
    Values v = new Values(root);
    String arch = v.text("MODEL", "ARCH", "slowfast");
    String modelName = v.text("MODEL", "MODEL_NAME", "SlowFast");
    if (!arch.equals("slow") || !modelName.equals("ResNet")) {
      throw new SourceFormatException(
          name
              + ": MODEL.ARCH "
              + arch
              + " / MODEL_NAME "
              + modelName
              + " is not importable; "
              + SUPPORTED);
    }
    int depth = v.integer("RESNET", "DEPTH", 50);
    int groups = v.integer("RESNET", "NUM_GROUPS", 1);
    String trans = v.text("RESNET", "TRANS_FUNC", "bottleneck_transform");
    if (!STAGE_DEPTH.containsKey(depth)
        || groups != 1
        || !trans.equals("bottleneck_transform")
        || v.bool("RESNET", "STRIDE_1X1", false)
        || !v.text("BN", "NORM_TYPE", "batchnorm").equals("batchnorm")) {
      throw new SourceFormatException(
          name
              + ": RESNET.DEPTH "
              + depth
              + ", NUM_GROUPS "
              + groups
              + ", TRANS_FUNC "
              + trans
              + " is not importable; "
              + SUPPORTED);
    }
    for (List<Integer> loc : v.nested("NONLOCAL", "LOCATION")) {
      if (!loc.isEmpty()) {
        throw new SourceFormatException(
            name + ": non-local blocks (NONLOCAL.LOCATION) are not importable; " + SUPPORTED);
      }
    }
    List<Integer> channels = v.ints("DATA", "INPUT_CHANNEL_NUM", List.of(3, 3));
    if (channels.isEmpty() || channels.get(0) != 3) {
      throw new SourceFormatException(
          name + ": DATA.INPUT_CHANNEL_NUM " + channels + " is not one RGB pathway; " + SUPPORTED);
    }
    boolean detection = v.bool("DETECTION", "ENABLE", false);
    int[] blocks = STAGE_DEPTH.get(depth);
    List<Integer> strides =
        first(
            v.nestedOr(
                "RESNET",
                "SPATIAL_STRIDES",
                List.of(List.of(1), List.of(2), List.of(2), List.of(2))));
    List<Integer> dilations =
        first(
            v.nestedOr(
                "RESNET",
                "SPATIAL_DILATIONS",
                List.of(List.of(1), List.of(1), List.of(1), List.of(1))));
    List<Integer> tempBlocks =
        first(
            v.nestedOr(
                "RESNET",
                "NUM_BLOCK_TEMP_KERNEL",
                List.of(List.of(3), List.of(4), List.of(6), List.of(3))));
    if (strides.size() != 4 || dilations.size() != 4 || tempBlocks.size() != 4) {
      throw new SourceFormatException(
          name
              + ": RESNET.SPATIAL_STRIDES, SPATIAL_DILATIONS and NUM_BLOCK_TEMP_KERNEL need 4 stages");
    }
    String adapted = "";
    if (!detection && (strides.get(3) != 1 || dilations.get(3) != 2)) {
      strides = new ArrayList<>(strides);
      dilations = new ArrayList<>(dilations);
      strides.set(3, 1);
      dilations.set(3, 2);
      adapted =
          "res5 at spatial stride 1, dilation 2 (the detection backbone PySlowFast's AVA configs fine-tune)";
    }
    int width = v.integer("RESNET", "WIDTH_PER_GROUP", 64);
    List<StageSpec> stages = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      int kt = SLOW_TEMPORAL_KERNELS[s];
      if (kt > 1 && tempBlocks.get(s) < blocks[s]) {
        throw new SourceFormatException(
            name
                + ": RESNET.NUM_BLOCK_TEMP_KERNEL "
                + tempBlocks
                + " gives some res"
                + (s + 2)
                + " blocks no temporal kernel; importable: every block of a stage alike");
      }
      int inner = width << s;
      stages.add(new StageSpec(blocks[s], inner, inner * 4, kt, strides.get(s), dilations.get(s)));
    }
    BackboneSpec backbone = new BackboneSpec(true, width, 7, 2, true, stages);
    int scale = v.integer("DETECTION", "SPATIAL_SCALE_FACTOR", 16);
    if (scale != backbone.spatialStride()) {
      throw new SourceFormatException(
          name
              + ": DETECTION.SPATIAL_SCALE_FACTOR "
              + scale
              + " is not the backbone's stride "
              + backbone.spatialStride()
              + "; importable: boxes scaled to the feature map");
    }
    String act = v.text("MODEL", "HEAD_ACT", "softmax");
    if (detection && !act.equals("sigmoid")) {
      throw new SourceFormatException(
          name + ": MODEL.HEAD_ACT " + act + " is not importable for detection (sigmoid is)");
    }
    int classes = v.integer("MODEL", "NUM_CLASSES", 400);
    float[] mean = floats(v.ints3("DATA", "MEAN", new double[] {0.45, 0.45, 0.45}));
    float[] std = floats(v.ints3("DATA", "STD", new double[] {0.225, 0.225, 0.225}));
    boolean bgr = v.bool("AVA", "BGR", false);
    if (bgr) {
      mean = new float[] {mean[2], mean[1], mean[0]};
      std = new float[] {std[2], std[1], std[0]};
    }
    int frames = v.integer("DATA", "NUM_FRAMES", 8);
    int rate = v.integer("DATA", "SAMPLING_RATE", 8);
    int crop = v.integer("DATA", "TRAIN_CROP_SIZE", 224);
    int test = v.integer("DATA", "TEST_CROP_SIZE", 256);
    ModelConfig cfg =
        new ModelConfig(
            String.format(Locale.ROOT, "pyslowfast-slow-r%d", depth),
            backbone,
            frames,
            rate,
            crop,
            MemoryType.NONE,
            4,
            classes,
            0,
            (float) v.number("MODEL", "DROPOUT_RATE", 0.5),
            v.integer("DETECTION", "ROI_XFORM_RESOLUTION", 7),
            0,
            !v.bool("DETECTION", "ALIGNED", true),
            new InputNormalization(mean, std, test));
    return new PySlowFastConfig(cfg, detection, classes, bgr, adapted);
  }

  private static List<Integer> first(List<List<Integer>> perPathway) {
    List<Integer> out = new ArrayList<>();
    for (List<Integer> stage : perPathway) {
      if (stage.isEmpty()) {
        throw new SourceFormatException("an empty per-pathway list in the config");
      }
      out.add(stage.get(0));
    }
    return out;
  }

  private static float[] floats(double[] d) {
    return new float[] {(float) d[0], (float) d[1], (float) d[2]};
  }

  /** Config values with PySlowFast's defaults. */
  private record Values(JsonNode root) {
    JsonNode node(String section, String key) {
      JsonNode s = root.get(section);
      return s == null ? null : s.get(key);
    }

    String text(String section, String key, String dflt) {
      JsonNode n = node(section, key);
      return n == null || n.isNull() ? dflt : n.asText();
    }

    int integer(String section, String key, int dflt) {
      JsonNode n = node(section, key);
      if (n == null || n.isNull()) {
        return dflt;
      }
      if (!n.canConvertToInt() || !n.isIntegralNumber()) {
        throw new SourceFormatException(section + "." + key + " must be an integer, got " + n);
      }
      return n.asInt();
    }

    double number(String section, String key, double dflt) {
      JsonNode n = node(section, key);
      return n == null || n.isNull() ? dflt : n.asDouble();
    }

    boolean bool(String section, String key, boolean dflt) {
      JsonNode n = node(section, key);
      return n == null || n.isNull() ? dflt : n.asBoolean();
    }

    double[] ints3(String section, String key, double[] dflt) {
      JsonNode n = node(section, key);
      if (n == null || n.isNull()) {
        return dflt;
      }
      if (!n.isArray() || n.size() != 3) {
        throw new SourceFormatException(section + "." + key + " must list 3 values, got " + n);
      }
      return new double[] {n.get(0).asDouble(), n.get(1).asDouble(), n.get(2).asDouble()};
    }

    List<Integer> ints(String section, String key, List<Integer> dflt) {
      JsonNode n = node(section, key);
      if (n == null || n.isNull()) {
        return dflt;
      }
      List<Integer> out = new ArrayList<>();
      n.forEach(x -> out.add(x.asInt()));
      return out;
    }

    List<List<Integer>> nested(String section, String key) {
      return nestedOr(section, key, List.of());
    }

    List<List<Integer>> nestedOr(String section, String key, List<List<Integer>> dflt) {
      JsonNode n = node(section, key);
      if (n == null || n.isNull()) {
        return dflt;
      }
      List<List<Integer>> out = new ArrayList<>();
      for (JsonNode stage : n) {
        List<Integer> inner = new ArrayList<>();
        // NONLOCAL.LOCATION nests one level deeper: [[[]], ...]
        JsonNode items =
            stage.isArray() && stage.size() > 0 && stage.get(0).isArray() ? stage.get(0) : stage;
        items.forEach(x -> inner.add(x.asInt()));
        out.add(inner);
      }
      return out;
    }
  }
}
