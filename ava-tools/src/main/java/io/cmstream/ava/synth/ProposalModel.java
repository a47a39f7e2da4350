package io.cmstream.ava.synth;

import io.cmstream.ava.format.Box;
import io.cmstream.ava.format.ProposalRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Simulated person detector output (AVA "predicted boxes"): each ground-truth box is missed with
 * probability 5%, otherwise found with every corner jittered by N(0, 5% of the box size) and a
 * score in [0.6, 1); each keyframe has a false positive with probability 15% (a person-shaped box
 * anywhere, score in [0.1, 0.9)).
 */
final class ProposalModel {
  static final double MISS = 0.05;
  static final double FALSE_POSITIVE = 0.15;

  private ProposalModel() {}

  static List<ProposalRow> proposals(String videoId, int second, List<Box> truth, Random rnd) {
    List<ProposalRow> rows = new ArrayList<>();
    for (Box b : truth) {
      if (rnd.nextDouble() < MISS) continue;
      double jw = 0.05 * b.width();
      double jh = 0.05 * b.height();
      double x1 = b.x1() + rnd.nextGaussian() * jw;
      double x2 = b.x2() + rnd.nextGaussian() * jw;
      double y1 = b.y1() + rnd.nextGaussian() * jh;
      double y2 = b.y2() + rnd.nextGaussian() * jh;
      rows.add(
          row(
              videoId,
              second,
              Math.min(x1, x2),
              Math.min(y1, y2),
              Math.max(x1, x2),
              Math.max(y1, y2),
              0.6 + 0.4 * rnd.nextDouble()));
    }
    if (rnd.nextDouble() < FALSE_POSITIVE) {
      double w = 0.08 + 0.08 * rnd.nextDouble();
      double h = 0.25 + 0.2 * rnd.nextDouble();
      double x = rnd.nextDouble() * (1 - w);
      double y = rnd.nextDouble() * (1 - h);
      rows.add(row(videoId, second, x, y, x + w, y + h, 0.1 + 0.8 * rnd.nextDouble()));
    }
    return rows;
  }

  private static ProposalRow row(
      String vid, int second, double x1, double y1, double x2, double y2, double score) {
    Box box =
        new Box(
            FrameRenderer.round3(x1),
            FrameRenderer.round3(y1),
            FrameRenderer.round3(x2),
            FrameRenderer.round3(y2));
    return new ProposalRow(vid, second, box, Math.round(score * 1e4) / 1e4);
  }
}
