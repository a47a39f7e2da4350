package io.cmstream.trainer.export;

import static io.cmstream.runtime.GraphContract.KEY;
import static io.cmstream.runtime.GraphContract.MEMORY;
import static io.cmstream.runtime.GraphContract.ROI_FEATS;
import static io.cmstream.runtime.GraphContract.SCORES;

import ai.djl.nn.Block;
import io.cmstream.runtime.GraphContract;
import io.cmstream.runtime.onnx.Attribute;
import io.cmstream.runtime.onnx.ElementType;
import io.cmstream.runtime.onnx.GraphBuilder;
import io.cmstream.runtime.onnx.OnnxModel;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.MemoryType;
import java.util.List;
import java.util.Map;

/**
 * The context head graph of docs/DESIGN.md section 2: roi_feats [R,C], key [C'], memory [C',C'] ->
 * gate = 1 + sigmoid((key . memory) W^T) [C]; scores = sigmoid(fc2(relu(fc1(roi_feats * gate))))
 * [R,K], or sigmoid(projection(roi_feats * gate)) for the sources' one-layer head. Dropout is the
 * identity at inference.
 */
public final class ContextHeadGraph {

  private final CmDetector model;

  public ContextHeadGraph(CmDetector model) {
    this.model = model;
    MemoryType type = model.config().memory();
    if (type != MemoryType.DEFAULT && type != MemoryType.NONE) {
      throw new IllegalArgumentException(
          "only the default memory and 'none' have a context head; this model uses '"
              + type.cliName()
              + "'");
    }
  }

  public OnnxModel build(String producerVersion, Map<String, String> metadata) {
    int c = model.config().channels();
    int cp = model.config().memoryChannels();
    int k = model.config().numClasses();
    GraphBuilder g = new GraphBuilder("cm_context_head");
    GraphContract.Graph contract = GraphContract.contextHead(c, cp, k);
    String roi = g.input(ROI_FEATS, ElementType.FLOAT, contract.input(ROI_FEATS).dims());
    String key = g.input(KEY, ElementType.FLOAT, contract.input(KEY).dims());
    String memory = g.input(MEMORY, ElementType.FLOAT, contract.input(MEMORY).dims());

    String gated;
    if (model.config().memory() == MemoryType.NONE) {
      gated = roi; // no memory: key and memory are accepted (the contract) and not used
    } else {
      // W: Linear C' -> C without bias, weight [C, C'] -> y = v W^T
      float[] w = Params.floats(model.memory().wMap(), "weight");
      String wt = g.initializer("memory.w_t", transpose(w, c, cp), cp, c);
      String logits = g.op("MatMul", g.op("MatMul", key, memory), wt);
      String gate = g.op("Add", g.op("Sigmoid", logits), g.scalar("one", 1f));
      gated = g.op("Mul", roi, gate);
    }

    Block head = model.head();
    String scores;
    if (model.config().linearHead()) {
      scores =
          g.op("Sigmoid", linear(g, Params.child(head, "projection"), "head.projection", gated));
    } else {
      String hidden = g.op("Relu", linear(g, Params.child(head, "fc1"), "head.fc1", gated));
      scores = g.op("Sigmoid", linear(g, Params.child(head, "fc2"), "head.fc2", hidden));
    }
    g.output(scores, SCORES, ElementType.FLOAT, contract.output(SCORES).dims());
    return g.model(producerVersion, metadata);
  }

  private static String linear(GraphBuilder g, Block fc, String prefix, String input) {
    String w =
        g.initializer(prefix + ".weight", Params.floats(fc, "weight"), Params.shape(fc, "weight"));
    String b = g.initializer(prefix + ".bias", Params.floats(fc, "bias"), Params.shape(fc, "bias"));
    return g.op("Gemm", List.of(input, w, b), Attribute.of("transB", 1L));
  }

  private static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = m[i * cols + j];
      }
    }
    return t;
  }
}
