package io.cmstream.trainer.train;

import ai.djl.ndarray.NDManager;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.trainer.model.CmDetector;
import java.util.Map;

/** Scores a model on a validation split. */
@FunctionalInterface
public interface Validator {
  /**
   * @param mapPoints frame-mAP in points (0-100)
   * @param perClass AP in points per label-map id (null where the class has no ground truth)
   */
  record Result(double mapPoints, Map<Integer, Double> perClass) {}

  Result validate(CmDetector model, ClipSpec spec, int clips, NDManager manager);

  /** Makes the validator of a split. */
  @FunctionalInterface
  interface Factory {
    Validator create(io.cmstream.trainer.data.AvaSplit split);
  }
}
