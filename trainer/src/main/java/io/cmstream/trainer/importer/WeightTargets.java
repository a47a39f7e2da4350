package io.cmstream.trainer.importer;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.cmstream.trainer.export.Params;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.ConvUnit;
import io.cmstream.trainer.model.ResBlock;
import io.cmstream.trainer.model.ResNet3d;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The model's parameters under a source's names: every array an import must fill, in order. */
final class WeightTargets {
  /** PyTorch's BatchNorm names -> DJL's. */
  private static final Map<String, String> BN =
      Map.of(
          "weight",
          "gamma",
          "bias",
          "beta",
          "running_mean",
          "runningMean",
          "running_var",
          "runningVar");

  private static final List<String> BN_ORDER =
      List.of("weight", "bias", "running_mean", "running_var");

  private WeightTargets() {}

  /** Backbone parameters (and the head's when {@code withHead}) by source name. */
  static Map<String, Parameter> of(CmDetector model, SourceNaming names, boolean withHead) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    ResNet3d net = model.backbone();
    unit(out, net.stem(), names.stemConv(), names.stemBn());
    int s = 2;
    for (ResNet3d.ResStage stage : net.stages()) {
      int b = 0;
      for (ResBlock block : stage.blocks()) {
        List<ConvUnit> branch = block.branch();
        for (int u = 0; u < branch.size(); u++) {
          unit(out, branch.get(u), names.unitConv(s, b, u), names.unitBn(s, b, u));
        }
        if (block.projection() != null) {
          unit(out, block.projection(), names.projConv(s, b), names.projBn(s, b));
        }
        b++;
      }
      s++;
    }
    if (withHead) {
      Block fc = Params.child(model.head(), "projection");
      out.put(names.head() + ".weight", fc.getParameters().get("weight"));
      out.put(names.head() + ".bias", fc.getParameters().get("bias"));
    }
    return out;
  }

  private static void unit(Map<String, Parameter> out, ConvUnit u, String conv, String bn) {
    out.put(conv + ".weight", Params.child(u, "conv").getParameters().get("weight"));
    for (String k : BN_ORDER) {
      out.put(bn + "." + k, u.batchNorm().getParameters().get(BN.get(k)));
    }
  }
}
