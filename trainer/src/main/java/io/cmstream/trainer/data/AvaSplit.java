package io.cmstream.trainer.data;

import io.cmstream.ava.format.Box;
import io.cmstream.ava.format.ExclusionsCsv;
import io.cmstream.ava.format.FrameKey;
import io.cmstream.ava.format.FrameListFile;
import io.cmstream.ava.format.FrameListRow;
import io.cmstream.ava.format.GroundTruthCsv;
import io.cmstream.ava.format.GroundTruthRow;
import io.cmstream.ava.format.ProposalRow;
import io.cmstream.ava.format.ProposalsCsv;
import io.cmstream.common.format.AvaFormatException;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One split (train or val) of an AVA dataset: frames per video, ground-truth persons with their
 * multi-hot labels per keyframe, proposals above the score threshold, excluded keyframes.
 * Annotation parsing is kept apart from sampling ({@link WindowSampler}, {@link BatchAssembler}).
 *
 * <p>Keyframe second s of a video is shown at frame round((s - timeOffset) * fps); the offset is 0
 * for data whose seconds count from the first frame (the synthetic set) and 900 for AVA, whose
 * frames are extracted from minute 15 (detected automatically).
 */
public final class AvaSplit {
  /** A proposal whose IoU with a ground-truth person is at least this takes its labels. */
  public static final double MATCH_IOU = 0.5;

  private final AvaLayout layout;
  private final String split;
  private final LabelMap labelMap;
  private final int[] classIds;
  private final Map<Integer, Integer> classIndex = new HashMap<>();
  private final Map<String, VideoFrames> videos;
  private final Map<FrameKey, List<LabelledBox>> groundTruth;
  private final Map<FrameKey, List<LabelledBox>> proposals;
  private final Set<FrameKey> exclusions;
  private final int timeOffset;

  private AvaSplit(
      AvaLayout layout,
      String split,
      LabelMap labelMap,
      Map<String, VideoFrames> videos,
      Map<FrameKey, List<LabelledBox>> groundTruth,
      Map<FrameKey, List<LabelledBox>> proposals,
      Set<FrameKey> exclusions,
      int timeOffset) {
    this.layout = layout;
    this.split = split;
    this.labelMap = labelMap;
    this.classIds = labelMap.sortedById().stream().mapToInt(LabelMap.Label::id).toArray();
    for (int i = 0; i < classIds.length; i++) {
      classIndex.put(classIds[i], i);
    }
    this.videos = videos;
    this.groundTruth = groundTruth;
    this.proposals = proposals;
    this.exclusions = exclusions;
    this.timeOffset = timeOffset;
  }

  /**
   * Reads and validates a split. Every problem (missing file, unreadable CSV, label map that does
   * not match the annotations, video without frames) is one {@link DatasetException} line.
   *
   * @param proposalThreshold proposals with a lower score are dropped
   * @param requireAllClasses true for training: every label-map class needs a ground-truth row
   */
  public static AvaSplit load(
      Path root, String split, double proposalThreshold, boolean requireAllClasses) {
    AvaLayout layout = new AvaLayout(root);
    layout.requireSplit(split);
    try {
      LabelMap labelMap = LabelMapPbtxt.read(layout.labelMap());
      if (labelMap.size() == 0) {
        throw new DatasetException("label map " + layout.labelMap() + " has no classes");
      }
      Map<String, VideoFrames> videos = readFrames(layout, split);
      List<GroundTruthRow> gt = GroundTruthCsv.read(layout.groundTruth(split));
      String gtName = layout.root().relativize(layout.groundTruth(split)).toString();
      checkLabelMap(labelMap, gt, gtName, requireAllClasses);
      int offset = timeOffset(gt, videos);
      int[] ids = labelMap.sortedById().stream().mapToInt(LabelMap.Label::id).toArray();
      Map<Integer, Integer> index = new HashMap<>();
      for (int i = 0; i < ids.length; i++) {
        index.put(ids[i], i);
      }
      Map<FrameKey, List<LabelledBox>> persons = new TreeMap<>();
      Map<FrameKey, Map<Box, float[]>> byBox = new TreeMap<>();
      for (GroundTruthRow r : gt) {
        if (!videos.containsKey(r.key().videoId())) {
          throw new DatasetException(
              gtName
                  + " annotates video '"
                  + r.key().videoId()
                  + "' which has no frames in "
                  + layout.root().relativize(layout.frameList(split)));
        }
        float[] t =
            byBox
                .computeIfAbsent(r.key(), k -> new LinkedHashMap<>())
                .computeIfAbsent(r.box(), b -> new float[ids.length]);
        Integer c = index.get(r.actionId());
        if (c != null) {
          t[c] = 1f;
        }
      }
      byBox.forEach(
          (k, m) -> {
            List<LabelledBox> list = new ArrayList<>();
            m.forEach((b, t) -> list.add(new LabelledBox(b, t, 1.0)));
            persons.put(k, list);
          });
      Map<FrameKey, List<LabelledBox>> props = new TreeMap<>();
      if (Files.isRegularFile(layout.proposals(split))) {
        for (ProposalRow p : ProposalsCsv.read(layout.proposals(split))) {
          if (p.score() < proposalThreshold || !videos.containsKey(p.key().videoId())) {
            continue;
          }
          float[] t = new float[ids.length];
          double best = MATCH_IOU;
          for (LabelledBox g : persons.getOrDefault(p.key(), List.of())) {
            double iou = g.box().iou(p.box());
            if (iou >= best) {
              best = iou;
              t = g.targets();
            }
          }
          props
              .computeIfAbsent(p.key(), k -> new ArrayList<>())
              .add(new LabelledBox(p.box(), t, p.score()));
        }
      }
      Set<FrameKey> excluded =
          Files.isRegularFile(layout.exclusions(split))
              ? ExclusionsCsv.read(layout.exclusions(split))
              : Set.of();
      return new AvaSplit(layout, split, labelMap, videos, persons, props, excluded, offset);
    } catch (AvaFormatException e) {
      throw new DatasetException(e.getMessage());
    }
  }

  private static Map<String, VideoFrames> readFrames(AvaLayout layout, String split) {
    Map<String, List<FrameListRow>> rows = new TreeMap<>();
    for (FrameListRow r : FrameListFile.read(layout.frameList(split))) {
      rows.computeIfAbsent(r.originalVideoId(), k -> new ArrayList<>()).add(r);
    }
    if (rows.isEmpty()) {
      throw new DatasetException(layout.frameList(split) + " lists no frames");
    }
    Map<String, VideoFrames> videos = new TreeMap<>();
    rows.forEach(
        (vid, list) -> {
          int n = list.stream().mapToInt(FrameListRow::frameId).max().orElse(-1) + 1;
          Path[] paths = new Path[n];
          for (FrameListRow r : list) {
            paths[r.frameId()] = layout.frames().resolve(r.path());
          }
          for (int i = 0; i < n; i++) {
            if (paths[i] == null) {
              throw new DatasetException(
                  layout.frameList(split) + ": video " + vid + " has no frame " + i);
            }
          }
          for (Path p : new Path[] {paths[0], paths[n - 1]}) {
            if (!Files.isRegularFile(p)) {
              throw new DatasetException(
                  "dataset "
                      + layout.root()
                      + ": missing frame file "
                      + layout.root().relativize(p));
            }
          }
          videos.put(vid, new VideoFrames(vid, paths));
        });
    return videos;
  }

  private static void checkLabelMap(
      LabelMap map, List<GroundTruthRow> gt, String file, boolean requireAll) {
    if (gt.isEmpty()) {
      throw new DatasetException(file + " has no annotations");
    }
    Set<Integer> seen = new TreeSet<>();
    for (GroundTruthRow r : gt) {
      seen.add(r.actionId());
      if (r.actionId() > map.maxId() || r.actionId() < 1) {
        throw new DatasetException(
            file
                + " uses action id "
                + r.actionId()
                + " which the label map (ids up to "
                + map.maxId()
                + ") does not know: label map and annotations do not match");
      }
    }
    if (requireAll) {
      List<Integer> missing = new ArrayList<>();
      for (int id : map.ids()) {
        if (!seen.contains(id)) {
          missing.add(id);
        }
      }
      if (!missing.isEmpty()) {
        throw new DatasetException(
            "label map classes "
                + missing
                + " never occur in "
                + file
                + ": label map and annotations do not match");
      }
    }
  }

  private static int timeOffset(List<GroundTruthRow> gt, Map<String, VideoFrames> videos) {
    int min = gt.stream().mapToInt(r -> r.key().timestamp()).min().orElse(0);
    int maxFrames = videos.values().stream().mapToInt(VideoFrames::frameCount).max().orElse(0);
    // AVA: keyframes 902..1798 s but frames extracted from 900 s on (at most 15 min of frames)
    return min >= 900 && maxFrames <= 30 * 60 * 16 ? 900 : 0;
  }

  public AvaLayout layout() {
    return layout;
  }

  public String split() {
    return split;
  }

  public LabelMap labelMap() {
    return labelMap;
  }

  /** Label-map ids in class-index order (K of them). */
  public int[] classIds() {
    return classIds.clone();
  }

  public int numClasses() {
    return classIds.length;
  }

  public Map<String, VideoFrames> videos() {
    return Collections.unmodifiableMap(videos);
  }

  public int timeOffset() {
    return timeOffset;
  }

  public Set<FrameKey> exclusions() {
    return Collections.unmodifiableSet(exclusions);
  }

  /** Ground-truth persons of a keyframe (empty when it has none). */
  public List<LabelledBox> groundTruth(FrameKey key) {
    return groundTruth.getOrDefault(key, List.of());
  }

  /** Proposals of a keyframe above the threshold, labelled from the matching ground truth. */
  public List<LabelledBox> proposals(FrameKey key) {
    return proposals.getOrDefault(key, List.of());
  }

  /** Labelled (annotated, not excluded) keyframes in key order. */
  public List<FrameKey> labelledKeys() {
    List<FrameKey> keys = new ArrayList<>();
    for (FrameKey k : groundTruth.keySet()) {
      if (!exclusions.contains(k)) {
        keys.add(k);
      }
    }
    return keys;
  }

  /** Training boxes of a keyframe: ground truth plus proposals (PySlowFast AVA training). */
  public List<LabelledBox> trainingBoxes(FrameKey key) {
    List<LabelledBox> out = new ArrayList<>(groundTruth(key));
    out.addAll(proposals(key));
    return out;
  }

  /**
   * Keyframes to detect on in evaluation with the boxes to score: the proposals (the detector's
   * input) where the split has a proposals file, the ground-truth boxes otherwise.
   */
  public Map<FrameKey, List<LabelledBox>> evaluationBoxes() {
    Map<FrameKey, List<LabelledBox>> src = proposals.isEmpty() ? groundTruth : proposals;
    Map<FrameKey, List<LabelledBox>> out = new TreeMap<>();
    src.forEach(
        (k, v) -> {
          if (!exclusions.contains(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /**
   * The same split evaluated on its ground-truth boxes instead of the proposals: only the
   * classification counts, as in the synthetic data's ceiling table (AVA papers report both).
   */
  public AvaSplit withGroundTruthBoxes() {
    return new AvaSplit(
        layout, split, labelMap, videos, groundTruth, Map.of(), exclusions, timeOffset);
  }

  /** First and last keyframe second that the frames of a video can centre a clip on. */
  public int[] secondRange(String videoId, double fps) {
    int frames = videos.get(videoId).frameCount();
    int last = (int) Math.floor((frames - 1) / fps + 1e-9);
    return new int[] {timeOffset, timeOffset + last};
  }

  @Override
  public String toString() {
    return split
        + ": "
        + videos.size()
        + " videos, "
        + groundTruth.size()
        + " labelled keyframes, "
        + classIds.length
        + " classes "
        + Arrays.toString(classIds);
  }
}
