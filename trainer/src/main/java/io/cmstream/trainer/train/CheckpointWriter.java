package io.cmstream.trainer.train;

import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.model.CmDetector;
import java.nio.file.Path;
import java.util.Locale;

/**
 * After every epoch, the model's checkpoint to {@code RUN_DIR/epoch-NNN} and {@code RUN_DIR/last}
 * ({@code --resume} continues from the latter).
 */
final class CheckpointWriter implements TrainingListener {
  private final CmDetector model;
  private final CheckpointMeta meta;
  private final Path runDir;

  /**
   * @param meta what the checkpoints say of the model; epoch and step are set per epoch
   */
  CheckpointWriter(CmDetector model, CheckpointMeta meta, Path runDir) {
    this.model = model;
    this.meta = meta;
    this.runDir = runDir;
  }

  @Override
  public void onEpochEnd(EpochEnd end) {
    int epoch = end.metrics().epoch();
    CheckpointMeta m = meta.withProgress(epoch, end.steps());
    m.save(model, runDir.resolve(String.format(Locale.ROOT, "epoch-%03d", epoch)));
    m.save(model, runDir.resolve("last"));
  }
}
