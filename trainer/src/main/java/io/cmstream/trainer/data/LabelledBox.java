package io.cmstream.trainer.data;

import io.cmstream.ava.format.Box;

/**
 * A person box of one keyframe with its multi-hot targets over the label map's classes (index =
 * position in the label map sorted by id) and a score (1 for ground truth).
 */
public record LabelledBox(Box box, float[] targets, double score) {
  public float[] coords() {
    return new float[] {(float) box.x1(), (float) box.y1(), (float) box.x2(), (float) box.y2()};
  }
}
