package io.cmstream.ava.viz;

import io.cmstream.ava.format.Box;
import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.GroundTruthRow;
import io.cmstream.common.format.LabelMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The boxes to draw for each second of one video: detections grouped by person box (top actions
 * above a score, led by the person's track label), ground truth optionally; a detection's colour
 * key is its {@link PersonTracks} id, stable from second to second.
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
      List<DetectionRow> detections,
      List<GroundTruthRow> groundTruth,
      LabelMap labels,
      int top,
      double minScore) {
    SecondLabels s = new SecondLabels();
    TreeMap<Integer, Map<Box, List<DetectionRow>>> people = new TreeMap<>();
    for (DetectionRow d : detections) {
      people
          .computeIfAbsent(d.key().timestamp(), k -> new LinkedHashMap<>())
          .computeIfAbsent(d.box(), k -> new ArrayList<>())
          .add(d);
    }
    TreeMap<Integer, List<Box>> personBoxes = new TreeMap<>();
    people.forEach((second, byBox) -> personBoxes.put(second, new ArrayList<>(byBox.keySet())));
    PersonTracks tracks = PersonTracks.of(personBoxes);
    for (Map.Entry<Integer, Map<Box, List<DetectionRow>>> e : people.entrySet()) {
      List<BoxLabel> out = s.bySecond.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
      for (Map.Entry<Box, List<DetectionRow>> person : e.getValue().entrySet()) {
        Box b = person.getKey();
        int id = tracks.id(e.getKey(), b);
        List<DetectionRow> rows = new ArrayList<>(person.getValue());
        rows.sort(Comparator.comparingDouble(DetectionRow::score).reversed());
        List<String> lines = new ArrayList<>();
        for (DetectionRow r : rows) {
          if (lines.size() >= top || r.score() < minScore) {
            break;
          }
          lines.add(String.format(Locale.ROOT, "%s %.2f", name(labels, r.actionId()), r.score()));
        }
        // the track id leads the first line: the same P<n> as in the report's timeline
        String tag = PersonTracks.label(id);
        if (lines.isEmpty()) {
          lines.add(tag);
        } else {
          lines.set(0, tag + " " + lines.get(0));
        }
        out.add(new BoxLabel(b.x1(), b.y1(), b.x2(), b.y2(), id, false, lines));
      }
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
                        .add(
                            new BoxLabel(
                                b.x1(),
                                b.y1(),
                                b.x2(),
                                b.y2(),
                                0,
                                true,
                                List.of("GT: " + String.join(", ", names))))));
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
