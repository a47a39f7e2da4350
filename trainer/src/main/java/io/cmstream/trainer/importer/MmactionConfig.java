package io.cmstream.trainer.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
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
import java.util.Objects;

/**
 * The architecture and preprocessing an MMAction2 config describes. MMAction2 configs are Python
 * files that inherit from others ({@code _base_}); they are not executed here: the config is given
 * as the JSON (or YAML) dump of the merged config, {@code mmengine.Config.fromfile(CFG).dump(OUT)},
 * and the values below are read from it over MMAction2's own defaults where it is silent ({@code
 * mmaction/models/backbones/resnet3d.py}, {@code resnet3d_slowonly.py}, {@code
 * roi_heads/roi_extractors/single_straight3d.py}, {@code roi_heads/bbox_heads/bbox_head.py}, {@code
 * data_preprocessors/data_preprocessor.py}):
 *
 * <ul>
 *   <li>{@code model.backbone}: type, depth (50), base_channels (64), in_channels (3), num_stages
 *       (4), out_indices ([3]), stage_blocks (null), conv1_kernel ([1, 7, 7]), conv1_stride_s (2),
 *       conv1_stride_t (1), with_pool1 (true), pool1_stride_s (2), pool1_stride_t (1), with_pool2
 *       (false), spatial_strides ([1, 2, 2, 2]), temporal_strides ([1, 1, 1, 1]), dilations ([1, 1,
 *       1, 1]), inflate ([0, 0, 1, 1]), inflate_style (3x1x1), style (pytorch), lateral (false),
 *       non_local ([0, 0, 0, 0]), norm_cfg.type (BN3d);
 *   <li>{@code model.roi_head} (detection): type, shared_head (null); {@code bbox_roi_extractor}:
 *       roi_layer_type (RoIAlign), featmap_stride (16), output_size (16), sampling_ratio (0),
 *       pool_mode (avg), aligned (true), with_temporal_pool (true), temporal_pool_mode (avg),
 *       with_global (false); {@code bbox_head}: type, background_class (true), temporal_pool_type
 *       (avg), spatial_pool_type (max), in_channels (2048), num_classes (81), dropout_ratio (0),
 *       multilabel (true), mlp_head (false);
 *   <li>{@code model.data_preprocessor}: mean, std (on the 0-255 scale), to_rgb (false),
 *       format_shape (NCTHW); without its mean (MMAction2 0.x configs), the test pipeline's {@code
 *       Normalize} mean, std and to_bgr (false); neither: refused;
 *   <li>the test pipeline ({@code test_dataloader.dataset.pipeline}, else {@code test_pipeline},
 *       else {@code val_pipeline}): SampleFrames / SampleAVAFrames clip_len and frame_interval,
 *       Resize scale {@code (-1, S)} (the short side S); without a pipeline, the AVA configs' 4 x
 *       16 frames at short side 256.
 * </ul>
 *
 * <p>Supported: {@code ResNet3dSlowOnly} ResNet-50/101 with the AVA bbox head ({@code AVARoIHead},
 * {@code SingleRoIExtractor3D}, {@code BBoxHeadAVA}) or a recognizer's backbone (its {@code
 * cls_head} dropped; res5 goes to spatial stride 1 as MMAction2's AVA configs fine-tune it).
 *
 * @param config the model (memory none, the one-layer head)
 * @param detection true: an AVA config (model.roi_head), whose head the checkpoint brings
 * @param sourceClasses bbox_head.num_classes (with the background class) or 0 for a recognizer
 * @param background true: class 0 of the head is the background class, dropped by the import
 * @param bgr true: the model saw the clip's channels reversed (data_preprocessor.to_rgb)
 * @param adapted what was changed to make a recognition config a detection one, or empty
 */
public record MmactionConfig(
    ModelConfig config,
    boolean detection,
    int sourceClasses,
    boolean background,
    boolean bgr,
    String adapted) {
  private static final Map<Integer, int[]> STAGE_DEPTH =
      Map.of(50, new int[] {3, 4, 6, 3}, 101, new int[] {3, 4, 23, 3});

  static final String SUPPORTED =
      "supported: ResNet3dSlowOnly ResNet-50/101 (bottleneck, pytorch style, inflate 3x1x1) with "
          + "AVARoIHead / BBoxHeadAVA or a recognizer's backbone; SlowFast two-pathway, X3D and MViT "
          + "are not";

  /** The short side, frames and stride of the AVA configs, when the config has no pipeline. */
  private static final int DEFAULT_SHORT_SIDE = 256;

  private static final int DEFAULT_CLIP_LEN = 4;
  private static final int DEFAULT_FRAME_INTERVAL = 16;

  public static MmactionConfig read(Path file) {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".py")) {
      throw new SourceFormatException(
          name
              + " is a Python config, which is not executed here: give its values as JSON, written"
              + " with python -c \"from mmengine import Config; Config.fromfile('"
              + name
              + "').dump('config.json')\"");
    }
    ObjectMapper mapper =
        lower.endsWith(".yaml") || lower.endsWith(".yml")
            ? new ObjectMapper(new YAMLFactory())
            : new ObjectMapper();
    JsonNode root;
    try {
      root = mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new SourceFormatException(
          "cannot read MMAction2 config "
              + file
              + ": "
              + Objects.toString(e.getMessage(), "").lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject() || !root.path("model").isObject()) {
      throw new SourceFormatException(
          name + " is not an MMAction2 config dump (no 'model' mapping at the top)");
    }
    return of(root, name);
  }

  static MmactionConfig of(JsonNode root, String name) {
    Values b = new Values(root.path("model").path("backbone"), name, "model.backbone");
    String type = b.text("type", "");
    if (!unscoped(type).equals("ResNet3dSlowOnly")) {
      throw new SourceFormatException(
          name
              + ": model.backbone.type "
              + (type.isEmpty() ? "(none)" : type)
              + " is not importable; "
              + SUPPORTED);
    }
    int depth = b.integer("depth", 50);
    if (!STAGE_DEPTH.containsKey(depth)) {
      throw new SourceFormatException(
          name + ": model.backbone.depth " + depth + " is not importable; " + SUPPORTED);
    }
    b.require("in_channels", 3);
    b.require("num_stages", 4);
    b.requireInts("out_indices", List.of(3));
    b.requireNull("stage_blocks");
    b.require("conv1_stride_t", 1);
    b.require("pool1_stride_t", 1);
    b.require("pool1_stride_s", 2);
    b.require("with_pool2", false);
    b.require("inflate_style", "3x1x1");
    b.require("style", "pytorch");
    b.require("lateral", false);
    b.requireInts("temporal_strides", List.of(1, 1, 1, 1));
    for (int nl : b.flatInts("non_local", List.of(0, 0, 0, 0))) {
      if (nl != 0) {
        throw new SourceFormatException(
            name
                + ": non-local blocks (model.backbone.non_local) are not importable; "
                + SUPPORTED);
      }
    }
    String norm = unscoped(b.node("norm_cfg").path("type").asText("BN3d"));
    if (!norm.equals("BN3d") && !norm.equals("BN")) {
      throw new SourceFormatException(
          name + ": model.backbone.norm_cfg.type " + norm + " is not importable (BN3d is)");
    }
    List<Integer> kernel = b.ints("conv1_kernel", List.of(1, 7, 7));
    if (kernel.size() != 3
        || kernel.get(0) != 1
        || !kernel.get(1).equals(kernel.get(2))
        || kernel.get(1) % 2 == 0) {
      throw new SourceFormatException(
          name
              + ": model.backbone.conv1_kernel "
              + kernel
              + " is not importable (1 x k x k with k odd is)");
    }
    List<Integer> strides = b.ints("spatial_strides", List.of(1, 2, 2, 2));
    List<Integer> dilations = b.ints("dilations", List.of(1, 1, 1, 1));
    List<Integer> inflate = b.perStage("inflate", List.of(0, 0, 1, 1), STAGE_DEPTH.get(depth));
    if (strides.size() != 4 || dilations.size() != 4) {
      throw new SourceFormatException(
          name + ": model.backbone.spatial_strides and dilations need 4 stages");
    }
    boolean detection = !root.path("model").path("roi_head").isMissingNode();
    String adapted = "";
    if (!detection && strides.get(3) != 1) {
      strides = new ArrayList<>(strides);
      strides.set(3, 1);
      adapted =
          "res5 at spatial stride 1 (the detection backbone MMAction2's AVA configs fine-tune)";
    }
    int width = b.integer("base_channels", 64);
    int[] blocks = STAGE_DEPTH.get(depth);
    List<StageSpec> stages = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      int inner = width << s;
      stages.add(
          new StageSpec(
              blocks[s],
              inner,
              inner * 4,
              inflate.get(s) == 1 ? 3 : 1,
              strides.get(s),
              dilations.get(s)));
    }
    BackboneSpec backbone =
        new BackboneSpec(
            true,
            width,
            kernel.get(1),
            b.integer("conv1_stride_s", 2),
            b.bool("with_pool1", true),
            stages);

    Head head = detection ? head(root, name, backbone) : Head.RECOGNIZER;

    JsonNode pipeline = testPipeline(root);
    Values pre =
        new Values(root.path("model").path("data_preprocessor"), name, "model.data_preprocessor");
    pre.require("format_shape", "NCTHW");
    if (pre.node("mean").isMissingNode()) {
      // MMAction2 0.x normalises in the pipeline: Normalize(mean, std, to_bgr)
      for (JsonNode step : pipeline) {
        if (unscoped(step.path("type").asText("")).equals("Normalize")) {
          pre = new Values(step, name, "the test pipeline's Normalize");
          pre.require("to_rgb", false);
        }
      }
    }
    if (pre.node("mean").isMissingNode() || pre.node("std").isMissingNode()) {
      throw new SourceFormatException(
          name
              + ": no mean/std, neither in model.data_preprocessor nor in a Normalize step of the"
              + " test pipeline; importable: one of them");
    }
    double[] mean = pre.triple("mean", null);
    double[] std = pre.triple("std", null);
    // to_rgb (data_preprocessor) / to_bgr (0.x Normalize): the model saw the RGB frames reversed
    boolean bgr = pre.bool("to_rgb", false) || pre.bool("to_bgr", false);
    float[] m = new float[3];
    float[] sd = new float[3];
    for (int c = 0; c < 3; c++) {
      int from = bgr ? 2 - c : c;
      m[c] = (float) (mean[from] / 255.0);
      sd[c] = (float) (std[from] / 255.0);
    }
    Sampling sampling = sampling(pipeline, name);
    ModelConfig cfg =
        new ModelConfig(
            String.format(Locale.ROOT, "mmaction2-slowonly-r%d", depth),
            backbone,
            sampling.clipLen(),
            sampling.frameInterval(),
            sampling.shortSide(),
            MemoryType.NONE,
            4,
            Math.max(1, head.classes() - (head.background() ? 1 : 0)),
            0,
            (float) head.dropout(),
            head.roiSize(),
            head.samplingRatio(),
            !head.aligned(),
            new InputNormalization(m, sd, sampling.shortSide()));
    return new MmactionConfig(cfg, detection, head.classes(), head.background(), bgr, adapted);
  }

  /** The AVA head's settings (a recognizer: the detection defaults of the AVA configs). */
  private record Head(
      int classes,
      boolean background,
      double dropout,
      int roiSize,
      int samplingRatio,
      boolean aligned) {
    static final Head RECOGNIZER = new Head(0, false, 0.5, 8, 0, true);
  }

  private static Head head(JsonNode root, String name, BackboneSpec backbone) {
    Values r = new Values(root.path("model").path("roi_head"), name, "model.roi_head");
    r.require("type", "AVARoIHead");
    r.requireNull("shared_head");
    Values x = new Values(r.node("bbox_roi_extractor"), name, "model.roi_head.bbox_roi_extractor");
    x.require("type", "SingleRoIExtractor3D");
    x.require("roi_layer_type", "RoIAlign");
    x.require("pool_mode", "avg");
    x.require("with_global", false);
    int stride = x.integer("featmap_stride", 16);
    if (stride != backbone.spatialStride()) {
      throw new SourceFormatException(
          name
              + ": model.roi_head.bbox_roi_extractor.featmap_stride "
              + stride
              + " is not the backbone's stride "
              + backbone.spatialStride()
              + "; importable: boxes scaled to the feature map");
    }
    List<Integer> out = x.ints("output_size", List.of(16));
    if (out.isEmpty() || out.size() > 2 || !out.get(0).equals(out.get(out.size() - 1))) {
      throw new SourceFormatException(
          name
              + ": model.roi_head.bbox_roi_extractor.output_size "
              + out
              + " is not importable (a square size is)");
    }
    Values h = new Values(r.node("bbox_head"), name, "model.roi_head.bbox_head");
    h.require("type", "BBoxHeadAVA");
    h.require("spatial_pool_type", "max");
    h.require("multilabel", true);
    h.require("mlp_head", false);
    // the temporal pooling that reaches RoIAlign must be a mean: the extractor's when it pools
    // (the head then pools one frame), else the head's (a mean of per-frame RoIAligns = RoIAlign
    // of the mean, RoIAlign being linear)
    String temporal =
        x.bool("with_temporal_pool", true)
            ? x.text("temporal_pool_mode", "avg")
            : h.text("temporal_pool_type", "avg");
    if (!temporal.equals("avg")) {
      throw new SourceFormatException(
          name
              + ": temporal pool "
              + temporal
              + " before the RoI head is not importable (avg is, as the AVA configs use)");
    }
    int in = h.integer("in_channels", 2048);
    if (in != backbone.outChannels()) {
      throw new SourceFormatException(
          name
              + ": model.roi_head.bbox_head.in_channels "
              + in
              + " is not the backbone's "
              + backbone.outChannels()
              + " channels");
    }
    boolean background = h.bool("background_class", true);
    int classes = h.integer("num_classes", 81);
    if (classes < (background ? 2 : 1)) {
      throw new SourceFormatException(
          name + ": model.roi_head.bbox_head.num_classes " + classes + " leaves no action class");
    }
    return new Head(
        classes,
        background,
        h.number("dropout_ratio", 0),
        out.get(0),
        x.integer("sampling_ratio", 0),
        x.bool("aligned", true));
  }

  private record Sampling(int clipLen, int frameInterval, int shortSide) {}

  /** The test pipeline's steps (an empty list without one). */
  private static JsonNode testPipeline(JsonNode root) {
    JsonNode pipeline = root.path("test_dataloader").path("dataset").path("pipeline");
    for (String alt : List.of("test_pipeline", "val_pipeline")) {
      if (!pipeline.isArray()) {
        pipeline = root.path(alt);
      }
    }
    return pipeline.isArray() ? pipeline : JsonNodeFactory.instance.arrayNode();
  }

  private static Sampling sampling(JsonNode pipeline, String name) {
    if (pipeline.isEmpty()) {
      return new Sampling(DEFAULT_CLIP_LEN, DEFAULT_FRAME_INTERVAL, DEFAULT_SHORT_SIDE);
    }
    int clipLen = DEFAULT_CLIP_LEN;
    int interval = DEFAULT_FRAME_INTERVAL;
    int shortSide = DEFAULT_SHORT_SIDE;
    for (JsonNode step : pipeline) {
      String t = unscoped(step.path("type").asText(""));
      Values v = new Values(step, name, "the test pipeline's " + t);
      if (t.equals("SampleFrames") || t.equals("SampleAVAFrames")) {
        clipLen = v.integer("clip_len", DEFAULT_CLIP_LEN);
        interval = v.integer("frame_interval", 1);
      } else if (t.equals("Resize")) {
        List<Integer> scale = v.ints("scale", List.of());
        if (scale.size() != 2 || Math.min(scale.get(0), scale.get(1)) != -1) {
          throw new SourceFormatException(
              name
                  + ": the test pipeline's Resize scale "
                  + scale
                  + " is not importable ((-1, S), the short side S, is)");
        }
        shortSide = Math.max(scale.get(0), scale.get(1));
      }
    }
    return new Sampling(clipLen, interval, shortSide);
  }

  /** {@code mmaction.ResNet3dSlowOnly} -> {@code ResNet3dSlowOnly} (registry scope dropped). */
  private static String unscoped(String type) {
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(dot + 1);
  }

  /** The values of one dict of the config, with MMAction2's defaults, checked strictly. */
  private record Values(JsonNode dict, String file, String where) {
    JsonNode node(String key) {
      JsonNode n = dict.path(key);
      return n.isNull() ? MissingNode.getInstance() : n;
    }

    private SourceFormatException bad(String key, String want, JsonNode got) {
      return new SourceFormatException(
          file + ": " + where + "." + key + " must be " + want + ", got " + got);
    }

    String text(String key, String dflt) {
      JsonNode n = node(key);
      if (n.isMissingNode()) {
        return dflt;
      }
      if (!n.isTextual()) {
        throw bad(key, "a string", n);
      }
      return n.asText();
    }

    int integer(String key, int dflt) {
      JsonNode n = node(key);
      if (n.isMissingNode()) {
        return dflt;
      }
      if (!n.isIntegralNumber() || !n.canConvertToInt()) {
        throw bad(key, "an integer", n);
      }
      return n.asInt();
    }

    double number(String key, double dflt) {
      JsonNode n = node(key);
      if (n.isMissingNode()) {
        return dflt;
      }
      if (!n.isNumber()) {
        throw bad(key, "a number", n);
      }
      return n.asDouble();
    }

    boolean bool(String key, boolean dflt) {
      JsonNode n = node(key);
      if (n.isMissingNode()) {
        return dflt;
      }
      if (!n.isBoolean()) {
        throw bad(key, "true or false", n);
      }
      return n.asBoolean();
    }

    /** An int, or a list of ints (a tuple in the Python config). */
    List<Integer> ints(String key, List<Integer> dflt) {
      JsonNode n = node(key);
      if (n.isMissingNode()) {
        return dflt;
      }
      List<Integer> out = new ArrayList<>();
      if (n.isIntegralNumber()) {
        out.add(n.asInt());
        return out;
      }
      if (!n.isArray()) {
        throw bad(key, "a list of integers", n);
      }
      for (JsonNode x : n) {
        if (!x.isIntegralNumber()) {
          throw bad(key, "a list of integers", n);
        }
        out.add(x.asInt());
      }
      return out;
    }

    /** Every integer of a possibly nested list (non_local per stage, per block). */
    List<Integer> flatInts(String key, List<Integer> dflt) {
      JsonNode n = node(key);
      if (n.isMissingNode()) {
        return dflt;
      }
      List<Integer> out = new ArrayList<>();
      flatten(key, n, out);
      return out;
    }

    private void flatten(String key, JsonNode n, List<Integer> out) {
      if (n.isIntegralNumber()) {
        out.add(n.asInt());
      } else if (n.isArray()) {
        n.forEach(x -> flatten(key, x, out));
      } else {
        throw bad(key, "integers", n);
      }
    }

    /**
     * A per-stage flag given per stage (an int) or per block (a list, all alike for the import).
     */
    List<Integer> perStage(String key, List<Integer> dflt, int[] blocks) {
      JsonNode n = node(key);
      if (n.isMissingNode()) {
        return dflt;
      }
      if (n.isIntegralNumber()) {
        return List.of(n.asInt(), n.asInt(), n.asInt(), n.asInt());
      }
      if (!n.isArray() || n.size() != 4) {
        throw bad(key, "4 per-stage values", n);
      }
      List<Integer> out = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        List<Integer> perBlock = new ArrayList<>();
        flatten(key, n.get(s), perBlock);
        if (perBlock.isEmpty()
            || perBlock.stream().distinct().count() != 1
            || (perBlock.size() != 1 && perBlock.size() != blocks[s])) {
          throw new SourceFormatException(
              file
                  + ": "
                  + where
                  + "."
                  + key
                  + " "
                  + n
                  + " differs between the blocks of a stage; importable: every block of a stage alike");
        }
        out.add(perBlock.get(0));
      }
      return out;
    }

    double[] triple(String key, double[] dflt) {
      JsonNode n = node(key);
      if (n.isMissingNode()) {
        return dflt;
      }
      if (!n.isArray() || n.size() != 3 || !n.get(0).isNumber()) {
        throw bad(key, "3 numbers", n);
      }
      return new double[] {n.get(0).asDouble(), n.get(1).asDouble(), n.get(2).asDouble()};
    }

    void require(String key, int want) {
      if (integer(key, want) != want) {
        throw unsupported(key, node(key));
      }
    }

    void require(String key, boolean want) {
      if (bool(key, want) != want) {
        throw unsupported(key, node(key));
      }
    }

    void require(String key, String want) {
      if (!unscoped(text(key, want)).equals(want)) {
        throw unsupported(key, node(key));
      }
    }

    void requireInts(String key, List<Integer> want) {
      if (!ints(key, want).equals(want)) {
        throw unsupported(key, node(key));
      }
    }

    void requireNull(String key) {
      if (!node(key).isMissingNode()) {
        throw unsupported(key, node(key));
      }
    }

    private SourceFormatException unsupported(String key, JsonNode got) {
      return new SourceFormatException(
          file + ": " + where + "." + key + " " + got + " is not importable; " + SUPPORTED);
    }
  }
}
