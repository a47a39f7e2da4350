package io.cmstream.trainer.train;

import java.util.Map;

/**
 * One epoch of training.
 *
 * @param epoch 1-based epoch
 * @param trainLoss mean training loss over the epoch's steps
 * @param firstLoss loss of the epoch's first step
 * @param lr learning rate at the end of the epoch
 * @param clipsPerSecond training throughput (clips through forward + backward per second)
 * @param stepSeconds mean seconds per optimizer step (forward, backward, update; no loading)
 * @param valMap validation frame-mAP in points (0-100), NaN when not validated
 * @param perClassAp validation AP per label-map id in points (null: no ground truth)
 * @param seconds wall time of the epoch including validation
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double firstLoss,
    double lr,
    double clipsPerSecond,
    double stepSeconds,
    double valMap,
    Map<Integer, Double> perClassAp,
    double seconds) {}
