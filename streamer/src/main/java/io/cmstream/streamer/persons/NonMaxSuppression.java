package io.cmstream.streamer.persons;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression: keeps the best-scoring box of every overlapping group. */
public record NonMaxSuppression(double iouThreshold) {

  public List<PersonBox> apply(List<PersonBox> boxes) {
    List<PersonBox> sorted = new ArrayList<>(boxes);
    sorted.sort(Comparator.comparingDouble(PersonBox::score).reversed());
    List<PersonBox> kept = new ArrayList<>();
    for (PersonBox b : sorted) {
      boolean suppressed = false;
      for (PersonBox k : kept) {
        if (b.iou(k) > iouThreshold || contains(k, b)) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) {
        kept.add(b);
      }
    }
    return kept;
  }

  /** A weaker box mostly inside a stronger one (a part of the same person) is dropped too. */
  private boolean contains(PersonBox outer, PersonBox inner) {
    double iw = Math.min(outer.x2(), inner.x2()) - Math.max(outer.x1(), inner.x1());
    double ih = Math.min(outer.y2(), inner.y2()) - Math.max(outer.y1(), inner.y1());
    return iw > 0 && ih > 0 && iw * ih >= 0.8 * inner.area();
  }
}
