package io.cmstream.streamer.persons;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-maximum suppression: keeps the best-scoring box of every overlapping group; a weaker
 * box mostly inside a stronger one (a part of the same person) or around it (the same person found
 * at a coarser scale) goes too, and so does a box that holds two or more other kept boxes (HOG's
 * window around a group is not a person).
 */
public record NonMaxSuppression(double iouThreshold) {

  public List<PersonBox> apply(List<PersonBox> boxes) {
    List<PersonBox> sorted = new ArrayList<>(boxes);
    sorted.sort(Comparator.comparingDouble(PersonBox::score).reversed());
    List<PersonBox> kept = new ArrayList<>();
    for (PersonBox b : sorted) {
      boolean suppressed = false;
      for (PersonBox k : kept) {
        // overlapping too much, a part of a stronger box, or the same person at a coarser
        // pyramid level (a weaker box around a stronger one of at least a fifth of its area)
        if (b.iou(k) > iouThreshold
            || contains(k, b)
            || (contains(b, k) && k.area() >= 0.2 * b.area())) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) {
        kept.add(b);
      }
    }
    List<PersonBox> persons = new ArrayList<>();
    for (PersonBox b : kept) {
      int inside = 0;
      for (PersonBox k : kept) {
        if (k != b && contains(b, k)) {
          inside++;
        }
      }
      if (inside < 2) {
        persons.add(b);
      }
    }
    return persons;
  }

  /** A weaker box mostly inside a stronger one (a part of the same person) is dropped too. */
  private boolean contains(PersonBox outer, PersonBox inner) {
    double iw = Math.min(outer.x2(), inner.x2()) - Math.max(outer.x1(), inner.x1());
    double ih = Math.min(outer.y2(), inner.y2()) - Math.max(outer.y1(), inner.y1());
    return iw > 0 && ih > 0 && iw * ih >= 0.8 * inner.area();
  }
}
