package io.cmstream.trainer.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Map;

/**
 * {@code bench-cm.json}, as {@code trainer bench-cm} writes it (the field names are read by other
 * tools: keep them). Frame-mAP and AP in points, rounded to 0.01; seconds rounded to 0.0001.
 *
 * @param detected the runs on the detected boxes (the proposals, AVA protocol)
 * @param stepSeconds seconds per training step, every variant of one N timed side by side ({@code
 *     N<n>-<memory>})
 * @param trainStepSeconds mean step seconds during each run's training (and {@code stage1})
 * @param groundTruthBoxes the same checkpoints on the ground-truth boxes
 */
public record BenchCmResult(
    @JsonUnwrapped Scores detected,
    @JsonProperty("step_seconds") Map<String, Double> stepSeconds,
    @JsonProperty("train_step_seconds") Map<String, Double> trainStepSeconds,
    @JsonProperty("gt_boxes") Scores groundTruthBoxes) {

  /**
   * Frame-mAP of the runs and their per-class AP.
   *
   * @param byClips N = 1 / 3 / 5 with the default memory, by N
   * @param byMemory the N = 5 variants, by memory name
   * @param perClass AP by run name ({@code stage1} first), then by class id (null: no AP)
   */
  public record Scores(
      @JsonProperty("by_clips") Map<String, Double> byClips,
      @JsonProperty("by_memory") Map<String, Double> byMemory,
      @JsonProperty("per_class") Map<String, Map<String, Double>> perClass) {

    /** The frame-mAP of one ablation run. */
    public double of(CmBenchmark.RunSpec r) {
      return r.clips() == 5
          ? byMemory.get(r.memory().cliName())
          : byClips.get(String.valueOf(r.clips()));
    }
  }
}
