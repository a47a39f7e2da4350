package io.cmstream.trainer.train;

/** The running totals of one epoch's training steps (the loop adds, listeners read). */
public final class EpochStats {
  private double lossSum;
  private double firstLoss = Double.NaN;
  private int steps;
  private long clips;
  private double stepSeconds;

  /** Time spent in a step, whatever its loss. */
  void addTime(double seconds) {
    stepSeconds += seconds;
  }

  /** A step with a finite loss over {@code clipCount} clips. */
  void addStep(float loss, int clipCount) {
    lossSum += loss;
    firstLoss = Double.isNaN(firstLoss) ? loss : firstLoss;
    steps++;
    clips += clipCount;
  }

  /** Steps with a finite loss. */
  public int steps() {
    return steps;
  }

  /** Mean loss of the steps so far; NaN before the first. */
  public double meanLoss() {
    return steps == 0 ? Double.NaN : lossSum / steps;
  }

  /** Loss of the epoch's first step; NaN before it. */
  public double firstLoss() {
    return firstLoss;
  }

  /** Clips through forward and backward per second of step time (0 before the first step). */
  public double clipsPerSecond() {
    return stepSeconds == 0 ? 0 : clips / stepSeconds;
  }

  /** Mean seconds per step (0 before the first step). */
  public double secondsPerStep() {
    return steps == 0 ? 0 : stepSeconds / steps;
  }
}
