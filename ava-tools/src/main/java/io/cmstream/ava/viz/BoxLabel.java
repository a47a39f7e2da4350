package io.cmstream.ava.viz;

import java.util.List;

/**
 * One box to draw on a frame: normalised corners, a track/person key that picks a stable colour, a
 * style (detection solid, ground truth dashed) and the text lines shown above it.
 */
public record BoxLabel(
    double x1,
    double y1,
    double x2,
    double y2,
    int colorKey,
    boolean groundTruth,
    List<String> lines) {
  public BoxLabel {
    lines = List.copyOf(lines);
  }
}
