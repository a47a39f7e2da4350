package io.cmstream.trainer.train;

import io.cmstream.trainer.data.ClipBatch;
import java.util.List;

/**
 * What {@link TrainingRun}'s loop reports, to each of its listeners in their order: the progress
 * bar, the divergence guard, the epoch's log line, the checkpoints, the metrics files.
 *
 * <p>The project's own small interface rather than DJL's {@code
 * ai.djl.training.listener.TrainingListener}: DJL's listeners are called by a DJL {@code Trainer}
 * and read the loss and metrics it computed, while {@link TrainingStep} runs its own step (two
 * scans, chunks conditioned on their own memory windows, frozen batch norm, a learning rate per
 * parameter group) on a {@code ParameterStore}, so there is no {@code Trainer} to pass. As in DJL's
 * {@code EasyTrain.fit}, validation is a phase of the loop, not a listener: its result reaches the
 * listeners in the epoch's {@link EpochMetrics}.
 */
public interface TrainingListener {
  /** Epoch {@code epoch} (1-based) of {@code epochs} starts, with {@code batches} batches. */
  default void onEpochBegin(int epoch, int epochs, int batches) {}

  /** One batch is done. */
  default void onBatch(Batch batch) {}

  /** The epoch's batches are done (also when a listener or a step failed). */
  default void onEpochTrained(int epoch) {}

  /** The epoch's metrics, validation included. */
  default void onEpochEnd(EpochEnd end) {}

  /** What became of a batch. */
  enum Outcome {
    /** No box to learn from: it only advanced the epoch. */
    NO_BOXES,
    /** One optimizer step with a finite loss. */
    TRAINED,
    /** The loss was not finite: the update was skipped. */
    NON_FINITE
  }

  /**
   * One batch of an epoch.
   *
   * @param epoch 1-based epoch
   * @param outcome what became of it
   * @param loss its loss (NaN for {@link Outcome#NO_BOXES})
   * @param clips the batch
   * @param steps optimizer steps completed in the run after this batch
   * @param stats the epoch's running totals after this batch
   */
  record Batch(
      int epoch, Outcome outcome, float loss, ClipBatch clips, long steps, EpochStats stats) {}

  /**
   * The end of an epoch.
   *
   * @param metrics the epoch's metrics
   * @param steps optimizer steps completed in the run
   * @param history every epoch of the run so far, this one last
   */
  record EpochEnd(EpochMetrics metrics, long steps, List<EpochMetrics> history) {}
}
