package io.cmstream.trainer.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;

/**
 * A learning-rate schedule with a multiplier per parameter group (MMAction2's {@code paramwise_cfg}
 * lr_mult): every parameter of a block follows {@code schedule} times that block's multiplier, the
 * others follow the schedule itself. Stage 2 uses it to fine-tune the stage-1 backbone slower than
 * the new memory and the head it feeds.
 */
public final class GroupLearningRate implements ParameterTracker {
  private final Tracker schedule;
  private final Map<String, Float> multiplierById = new HashMap<>();

  public GroupLearningRate(Tracker schedule) {
    this.schedule = schedule;
  }

  /** Every parameter of {@code block} learns at {@code multiplier} times the schedule. */
  public GroupLearningRate with(Block block, float multiplier) {
    if (!(multiplier >= 0) || Float.isInfinite(multiplier)) {
      throw new IllegalArgumentException(
          "a learning-rate multiplier must be finite and >= 0, got " + multiplier);
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      multiplierById.put(p.getValue().getId(), multiplier);
    }
    return this;
  }

  @Override
  public float getNewValue(String parameterId, int numUpdate) {
    return schedule.getNewValue(numUpdate) * multiplierById.getOrDefault(parameterId, 1f);
  }
}
