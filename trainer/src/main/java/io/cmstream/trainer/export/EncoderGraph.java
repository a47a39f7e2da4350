package io.cmstream.trainer.export;

import static io.cmstream.runtime.GraphContract.BOXES;
import static io.cmstream.runtime.GraphContract.BOX_CLIP;
import static io.cmstream.runtime.GraphContract.CLIP;
import static io.cmstream.runtime.GraphContract.CONTRIBUTION;
import static io.cmstream.runtime.GraphContract.KEY;
import static io.cmstream.runtime.GraphContract.ROI_FEATS;
import static io.cmstream.runtime.GraphContract.WEIGHT;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.cmstream.runtime.GraphContract;
import io.cmstream.runtime.onnx.Attribute;
import io.cmstream.runtime.onnx.ElementType;
import io.cmstream.runtime.onnx.GraphBuilder;
import io.cmstream.runtime.onnx.OnnxModel;
import io.cmstream.runtime.onnx.TensorData;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.ConvUnit;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.model.ResBlock;
import io.cmstream.trainer.model.ResNet3d;
import java.util.List;
import java.util.Map;

/**
 * The encoder graph of docs/DESIGN.md section 2 on a batch of clips (docs/bundle-contract.md
 * section 3.1, manifest format 2): clips [N,3,T,H,W], normalised boxes [R,4] and the clip of each
 * box box_clip [R] -> roi_feats [R,C] (temporal mean, RoIAlign S x S of each box on its clip's map
 * from plain operators ({@link RoiAlignGraph}), spatial max; un-gated), key [N,C'] = mean theta(X)
 * per clip, contribution [N,C',C'] = phi(X)^T psi(X) per clip, weight [1] = L. The backbone and
 * every per-clip term work on each clip of the batch alone, so a clip's outputs do not depend on
 * the other clips of its call. Batch norms are folded into the convolutions.
 */
public final class EncoderGraph {

  private final CmDetector model;

  public EncoderGraph(CmDetector model) {
    this.model = model;
    MemoryType type = model.config().memory();
    if (type != MemoryType.DEFAULT && type != MemoryType.NONE) {
      throw new IllegalArgumentException(
          "only the default (associative, gating) memory and 'none' split into encoder + context head; "
              + "this model uses '"
              + type.cliName()
              + "'");
    }
  }

  /** Feature map shape X of a batch of one clip: [1, C, T', H', W']. */
  public Shape featureShape() {
    return model.backbone().getOutputShapes(new Shape[] {model.clipShape(1)})[0];
  }

  public OnnxModel build(String producerVersion, Map<String, String> metadata) {
    ModelConfig cfg = model.config();
    long c = featureShape().get(1);
    int cp = cfg.memoryChannels();

    GraphBuilder g = new GraphBuilder("cm_encoder");
    // H and W are dynamic: the evaluation clip keeps the frame's aspect ratio (short side resized)
    GraphContract.Graph contract =
        GraphContract.encoder(GraphContract.Size.of(cfg.frames()), c, cp);
    String clip = g.input(CLIP, ElementType.FLOAT, contract.input(CLIP).dims());
    String boxes = g.input(BOXES, ElementType.FLOAT, contract.input(BOXES).dims());
    String boxClip = g.input(BOX_CLIP, ElementType.INT64, contract.input(BOX_CLIP).dims());

    String x = backbone(g, model.backbone(), clip);
    String xShape = g.op("Shape", x); // [N, C, T', H', W']

    // roi_feats: temporal mean [N, C, H', W'] -> RoIAlign on feature coordinates, each box on its
    // clip's map -> spatial max
    String pooled =
        g.op("ReduceMean", List.of(x), Attribute.ints("axes", 2), Attribute.of("keepdims", 0L));
    String whwh =
        g.op(
            "Cast",
            List.of(g.op("Gather", xShape, g.longs("whwh_axes", 4, 3, 4, 3))),
            Attribute.of("to", (long) ElementType.FLOAT.code()));
    String scaled = g.op("Mul", boxes, whwh);
    String rois =
        new RoiAlignGraph(cfg.roiSize(), cfg.samplingRatio(), cfg.legacyRoiAlign())
            .apply(g, pooled, c, scaled, boxClip, xShape, 3);
    String roiFeats =
        g.op(
            "ReduceMax", List.of(rois), Attribute.ints("axes", 2, 3), Attribute.of("keepdims", 0L));

    // memory terms per clip (a model without memory keeps the contract with zero key and
    // contribution, one per clip of the batch)
    String key;
    String contribution;
    if (cfg.memory() == MemoryType.NONE) {
      String n = g.op("Gather", xShape, g.longs("no_memory.n_axis", 0)); // [1]
      Attribute zero =
          Attribute.tensor("value", TensorData.floats("no_memory.zero", new float[1], 1));
      key =
          g.op(
              "ConstantOfShape",
              List.of(
                  g.op(
                      "Concat",
                      List.of(n, g.longs("no_memory.key_dims", cp)),
                      Attribute.of("axis", 0L))),
              zero);
      contribution =
          g.op(
              "ConstantOfShape",
              List.of(
                  g.op(
                      "Concat",
                      List.of(n, g.longs("no_memory.contribution_dims", cp, cp)),
                      Attribute.of("axis", 0L))),
              zero);
    } else {
      Block memory = model.memory();
      String theta = pointwise(g, memory, "theta", x);
      String phi = pointwise(g, memory, "phi", x);
      String psi = pointwise(g, memory, "psi", x);
      key =
          g.op(
              "ReduceMean",
              List.of(theta),
              Attribute.ints("axes", 2, 3, 4),
              Attribute.of("keepdims", 0L)); // [N, C']
      // [N, C', L] (0 copies N): phi [N, C', L] x psi^T [N, L, C'] -> [N, C', C']
      String flat = g.longs("flat_shape", 0, cp, -1);
      String psiT =
          g.op("Transpose", List.of(g.op("Reshape", psi, flat)), Attribute.ints("perm", 0, 2, 1));
      contribution = g.op("MatMul", g.op("Reshape", phi, flat), psiT);
    }
    // L = T' H' W' as float [1]
    String thw = g.op("Gather", xShape, g.longs("thw_axes", 2, 3, 4));
    String positions = g.op("ReduceProd", List.of(thw), Attribute.of("keepdims", 1L));
    String weight =
        g.op("Cast", List.of(positions), Attribute.of("to", (long) ElementType.FLOAT.code()));

    g.output(roiFeats, ROI_FEATS, ElementType.FLOAT, contract.output(ROI_FEATS).dims());
    g.output(key, KEY, ElementType.FLOAT, contract.output(KEY).dims());
    g.output(contribution, CONTRIBUTION, ElementType.FLOAT, contract.output(CONTRIBUTION).dims());
    g.output(weight, WEIGHT, ElementType.FLOAT, contract.output(WEIGHT).dims());
    return g.model(producerVersion, metadata);
  }

  private static String backbone(GraphBuilder g, ResNet3d net, String clip) {
    String x = unit(g, "stem", net.stem(), clip);
    if (net.spec().stemPool()) {
      x =
          g.op(
              "MaxPool",
              List.of(x),
              Attribute.ints("kernel_shape", 1, 3, 3),
              Attribute.ints("strides", 1, 2, 2),
              Attribute.ints("pads", 0, 1, 1, 0, 1, 1));
    }
    int s = 2;
    for (ResNet3d.ResStage stage : net.stages()) {
      int b = 1;
      for (ResBlock block : stage.blocks()) {
        String prefix = "res" + s + ".block" + b;
        String y = x;
        char name = 'a';
        for (ConvUnit u : block.branch()) {
          y = unit(g, prefix + "." + name++, u, y);
        }
        String shortcut =
            block.projection() == null ? x : unit(g, prefix + ".proj", block.projection(), x);
        x = g.op("Relu", g.op("Add", y, shortcut));
        b++;
      }
      s++;
    }
    return x;
  }

  private static String unit(GraphBuilder g, String prefix, ConvUnit u, String input) {
    String y = FoldedConv.of(u).addTo(g, prefix, input);
    return u.hasRelu() ? g.op("Relu", y) : y;
  }

  private static String pointwise(GraphBuilder g, Block memory, String name, String x) {
    Block conv = Params.child(memory, name);
    String w =
        g.initializer(
            "memory." + name, Params.floats(conv, "weight"), Params.shape(conv, "weight"));
    return g.op("Conv", List.of(x, w), Attribute.ints("kernel_shape", 1, 1, 1));
  }
}
