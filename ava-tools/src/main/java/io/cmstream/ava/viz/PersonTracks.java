package io.cmstream.ava.viz;

import io.cmstream.ava.format.Box;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Person track ids for the boxes of consecutive seconds, so that one person keeps one id (and
 * colour) in the annotated video and in the report's timeline. A box continues the track whose last
 * box (seen at most {@value #MAX_GAP} s before) has the nearest centre, measured in box heights per
 * second of gap and at most {@value #MAX_STEP}; pairs are taken nearest first, and a box left over
 * starts a new track. Detection rows carry no person id, and the persons of the synthetic videos
 * walk about half their height per second, so box overlap alone loses them.
 */
public final class PersonTracks {
  /** Seconds a track may go unseen (a missed proposal) and still continue. */
  static final int MAX_GAP = 3;

  /** Largest centre displacement, in box heights per second, that continues a track. */
  static final double MAX_STEP = 1.0;

  private final Map<Integer, Map<Box, Integer>> ids = new HashMap<>();
  private int count;

  private PersonTracks() {}

  private record Track(int id, Box last, int second) {}

  private record Pair(int box, int track, double distance) {}

  /** Assigns ids 0, 1, ... in order of first appearance to the boxes of each second. */
  public static PersonTracks of(SortedMap<Integer, List<Box>> boxesBySecond) {
    PersonTracks t = new PersonTracks();
    List<Track> tracks = new ArrayList<>();
    for (Map.Entry<Integer, List<Box>> e : boxesBySecond.entrySet()) {
      int second = e.getKey();
      List<Box> boxes = new ArrayList<>(e.getValue());
      boxes.sort(Comparator.comparingDouble(Box::x1).thenComparingDouble(Box::y1));
      List<Pair> pairs = new ArrayList<>();
      for (int b = 0; b < boxes.size(); b++) {
        for (int k = 0; k < tracks.size(); k++) {
          Track tr = tracks.get(k);
          int gap = second - tr.second();
          if (gap < 1 || gap > MAX_GAP) continue;
          double d = distance(tr.last(), boxes.get(b)) / gap;
          if (d <= MAX_STEP) pairs.add(new Pair(b, k, d));
        }
      }
      pairs.sort(
          Comparator.comparingDouble(Pair::distance)
              .thenComparingInt(Pair::box)
              .thenComparingInt(Pair::track));
      int[] assigned = new int[boxes.size()];
      java.util.Arrays.fill(assigned, -1);
      boolean[] trackTaken = new boolean[tracks.size()];
      for (Pair p : pairs) {
        if (assigned[p.box()] >= 0 || trackTaken[p.track()]) continue;
        assigned[p.box()] = p.track();
        trackTaken[p.track()] = true;
      }
      Map<Box, Integer> at = t.ids.computeIfAbsent(second, s -> new HashMap<>());
      for (int b = 0; b < boxes.size(); b++) {
        int id;
        if (assigned[b] >= 0) {
          id = tracks.get(assigned[b]).id();
          tracks.set(assigned[b], new Track(id, boxes.get(b), second));
        } else {
          id = t.count++;
          tracks.add(new Track(id, boxes.get(b), second));
        }
        at.put(boxes.get(b), id);
      }
      tracks.removeIf(tr -> second - tr.second() >= MAX_GAP);
    }
    return t;
  }

  /** Distance of the box centres in units of their mean height. */
  static double distance(Box a, Box b) {
    double dx = (a.x1() + a.x2()) / 2 - (b.x1() + b.x2()) / 2;
    double dy = (a.y1() + a.y2()) / 2 - (b.y1() + b.y2()) / 2;
    double h = Math.max(1e-6, ((a.y2() - a.y1()) + (b.y2() - b.y1())) / 2);
    return Math.hypot(dx, dy) / h;
  }

  /** The track id of a box of a second (a box passed to {@link #of}). */
  public int id(int second, Box box) {
    Integer id = ids.getOrDefault(second, Map.of()).get(box);
    if (id == null) throw new IllegalArgumentException("no box " + box + " at second " + second);
    return id;
  }

  /** How many tracks there are. */
  public int count() {
    return count;
  }

  /** The label of a track id as shown in the video and the report: P1, P2, ... */
  public static String label(int id) {
    return "P" + (id + 1);
  }
}
