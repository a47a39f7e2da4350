package io.cmstream.trainer.export;

import ai.djl.ndarray.NDManager;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.ModelConfig;

/** Public door to the export tests' tiny models for tests of other packages. */
public final class TinyModelsAccess {
  private TinyModelsAccess() {}

  /** The basic tiny config with K classes. */
  public static ModelConfig basic(int numClasses) {
    return TinyModels.basic().withNumClasses(numClasses);
  }

  public static CmDetector randomised(ModelConfig config, NDManager manager, long seed) {
    return TinyModels.randomised(config, manager, seed);
  }
}
