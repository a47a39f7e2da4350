package io.cmstream.ava.viz;

import io.cmstream.ava.format.Box;
import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.GroundTruthRow;
import io.cmstream.ava.format.LabelMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The boxes to draw for each second of one video: detections grouped by person box (top actions
 * above a score), ground truth optionally, and colour keys kept stable from second to second by
 * IoU association.
 */
public final class SecondLabels {
  private final TreeMap<Integer, List<BoxLabel>> bySecond = new TreeMap<>();

  private SecondLabels() {}

  /**
   * @param detections rows of this video only
   * @param groundTruth rows of this video only (may be empty)
   * @param top how many actions to print per person
   * @param minScore actions below this score are not printed
   */
  public static SecondLabels build(
      List<DetectionRow> detections, List<GroundTruthRow> groundTruth, LabelMap labels, int top, double minScore) {
    SecondLabels s = new SecondLabels();
    TreeMap<Integer, Map<Box, List<DetectionRow>>> people = new TreeMap<>();
    for (DetectionRow d : detections) {
      people.computeIfAbsent(d.key().timestamp(), k -> new LinkedHashMap<>())
          .computeIfAbsent(d.box(), k -> new ArrayList<>())
          .add(d);
    }
    List<Box> previous = List.of();
    List<Integer> previousKeys = List.of();
    int nextKey = 0;
    for (Map.Entry<Integer, Map<Box, List<DetectionRow>>> e : people.entrySet()) {
      List<Box> boxes = new ArrayList<>(e.getValue().keySet());
      boxes.sort(Comparator.comparingDouble(Box::x1).thenComparingDouble(Box::y1));
      List<Integer> keys = new ArrayList<>();
      boolean[] taken = new boolean[previous.size()];
      for (Box b : boxes) {
        int best = -1;
        double bestIou = 0.3;
        for (int i = 0; i < previous.size(); i++) {
          double iou = previous.get(i).iou(b);
          if (!taken[i] && iou > bestIou) {
            best = i;
            bestIou = iou;
          }
        }
        if (best >= 0) {
          taken[best] = true;
          keys.add(previousKeys.get(best));
        } else {
          keys.add(nextKey++);
        }
      }
      List<BoxLabel> out = s.bySecond.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
      for (int i = 0; i < boxes.size(); i++) {
        Box b = boxes.get(i);
        List<DetectionRow> rows = new ArrayList<>(e.getValue().get(b));
        rows.sort(Comparator.comparingDouble(DetectionRow::score).reversed());
        List<String> lines = new ArrayList<>();
        for (DetectionRow r : rows) {
          if (lines.size() >= top || r.score() < minScore) {
            break;
          }
          lines.add(String.format(Locale.ROOT, "%s %.2f", name(labels, r.actionId()), r.score()));
        }
        out.add(new BoxLabel(b.x1(), b.y1(), b.x2(), b.y2(), keys.get(i), false, lines));
      }
      previous = boxes;
      previousKeys = keys;
    }
    Map<Integer, Map<Box, List<String>>> gt = new TreeMap<>();
    for (GroundTruthRow g : groundTruth) {
      gt.computeIfAbsent(g.key().timestamp(), k -> new LinkedHashMap<>())
          .computeIfAbsent(g.box(), k -> new ArrayList<>())
          .add(name(labels, g.actionId()));
    }
    gt.forEach(
        (second, boxes) ->
            boxes.forEach(
                (b, names) ->
                    s.bySecond
                        .computeIfAbsent(second, k -> new ArrayList<>())
                        .add(new BoxLabel(b.x1(), b.y1(), b.x2(), b.y2(), 0, true, List.of("GT: " + String.join(", ", names))))));
    return s;
  }

  private static String name(LabelMap labels, int id) {
    return labels != null && labels.contains(id) ? labels.name(id) : "#" + id;
  }

  /** The boxes of a second (empty when nothing was detected then). */
  public List<BoxLabel> at(int second) {
    return bySecond.getOrDefault(second, List.of());
  }

  /** Seconds that have anything to draw. */
  public java.util.Set<Integer> seconds() {
    return bySecond.keySet();
  }
}
