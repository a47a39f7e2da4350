package io.cmstream.streamer.persons;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps person boxes stable from second to second: each detection is associated with the track of
 * the previous second it overlaps most (greedy IoU matching), and the box SIZE is smoothed with the
 * track's (HOG's box size jumps with its pyramid level) while the box stays centred where the
 * person is now (keyframes are a second apart: a walker moves). A track missed by the detector may
 * be held for {@code holdSeconds} seconds with its last box (off by default: at one keyframe per
 * second a walker has moved on, a held box would be a ghost). Not thread-safe: one per stream.
 */
public final class IouTracker {
  private final double minIou;
  private final double smoothing;
  private final int holdSeconds;
  private List<Track> tracks = new ArrayList<>();
  private int nextId;

  /**
   * @param minIou IoU a detection needs with a track to continue it
   * @param smoothing weight of the new detection's size in the smoothed box size (1 = none)
   * @param holdSeconds seconds a missed track is still reported with its last box
   */
  public IouTracker(double minIou, double smoothing, int holdSeconds) {
    if (!(minIou > 0 && minIou <= 1))
      throw new IllegalArgumentException("tracker IoU must be in (0,1]");
    if (!(smoothing > 0 && smoothing <= 1))
      throw new IllegalArgumentException("tracker smoothing must be in (0,1]");
    if (holdSeconds < 0) throw new IllegalArgumentException("tracker hold must be >= 0");
    this.minIou = minIou;
    this.smoothing = smoothing;
    this.holdSeconds = holdSeconds;
  }

  /** The streamer's defaults: IoU 0.3 continues a track, size smoothing 0.5, no held boxes. */
  public static IouTracker defaults() {
    return new IouTracker(0.3, 0.5, 0);
  }

  /** A tracked person: stable id, its current box, and the seconds since it was last detected. */
  public record Track(int id, PersonBox box, int missed) {}

  /** Associates this second's detections with the tracks and returns the tracks to report. */
  public List<Track> update(List<PersonBox> detections) {
    record Pair(int track, int det, double iou) {}
    List<Pair> pairs = new ArrayList<>();
    for (int t = 0; t < tracks.size(); t++) {
      for (int d = 0; d < detections.size(); d++) {
        double iou = tracks.get(t).box().iou(detections.get(d));
        if (iou >= minIou) {
          pairs.add(new Pair(t, d, iou));
        }
      }
    }
    pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
    boolean[] trackUsed = new boolean[tracks.size()];
    boolean[] detUsed = new boolean[detections.size()];
    List<Track> next = new ArrayList<>();
    for (Pair p : pairs) {
      if (trackUsed[p.track()] || detUsed[p.det()]) {
        continue;
      }
      trackUsed[p.track()] = true;
      detUsed[p.det()] = true;
      Track old = tracks.get(p.track());
      next.add(new Track(old.id(), smooth(old.box(), detections.get(p.det())), 0));
    }
    for (int t = 0; t < tracks.size(); t++) {
      Track old = tracks.get(t);
      if (!trackUsed[t] && old.missed() < holdSeconds) {
        next.add(new Track(old.id(), old.box(), old.missed() + 1));
      }
    }
    for (int d = 0; d < detections.size(); d++) {
      if (!detUsed[d]) {
        next.add(new Track(nextId++, detections.get(d), 0));
      }
    }
    next.sort(Comparator.comparingInt(Track::id));
    tracks = next;
    return List.copyOf(next);
  }

  private PersonBox smooth(PersonBox prev, PersonBox det) {
    double a = smoothing;
    double w = a * det.width() + (1 - a) * prev.width();
    double h = a * det.height() + (1 - a) * prev.height();
    double cx = (det.x1() + det.x2()) / 2;
    double cy = (det.y1() + det.y2()) / 2;
    return new PersonBox(
        clamp(cx - w / 2), clamp(cy - h / 2), clamp(cx + w / 2), clamp(cy + h / 2), det.score());
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
