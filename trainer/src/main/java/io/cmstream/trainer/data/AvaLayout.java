package io.cmstream.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The PySlowFast AVA layout of a dataset folder: {@code frames/<vid>/<vid>_<n:06d>.jpg}, {@code
 * frame_lists/<split>.csv}, {@code annotations/ava_<split>_v2.2.csv}, {@code
 * annotations/ava_<split>_predicted_boxes.csv} (optional), {@code
 * annotations/ava_<split>_excluded_timestamps_v2.2.csv} (optional) and the label map {@code
 * annotations/ava_action_list_v2.2_for_activitynet_2019.pbtxt} (or {@code
 * ava_action_list_v2.2.pbtxt}).
 */
public record AvaLayout(Path root) {
  private static final List<String> LABEL_MAPS =
      List.of(
          "ava_action_list_v2.2_for_activitynet_2019.pbtxt",
          "ava_action_list_v2.2.pbtxt",
          "ava_action_list_v2.1_for_activitynet_2018.pbtxt");

  public Path frames() {
    return root.resolve("frames");
  }

  public Path frameList(String split) {
    return root.resolve("frame_lists").resolve(split + ".csv");
  }

  public Path groundTruth(String split) {
    return root.resolve("annotations").resolve("ava_" + split + "_v2.2.csv");
  }

  public Path proposals(String split) {
    return root.resolve("annotations").resolve("ava_" + split + "_predicted_boxes.csv");
  }

  public Path exclusions(String split) {
    return root.resolve("annotations").resolve("ava_" + split + "_excluded_timestamps_v2.2.csv");
  }

  /** The label map file (first of the known names that exists). */
  public Path labelMap() {
    for (String n : LABEL_MAPS) {
      Path p = root.resolve("annotations").resolve(n);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new DatasetException(
        "dataset " + root + ": missing label map annotations/" + LABEL_MAPS.get(0));
  }

  /** Checks that the folders and files a split needs exist; throws with one clear line. */
  public void requireSplit(String split) {
    if (!Files.isDirectory(root)) {
      throw new DatasetException("dataset folder " + root + " does not exist");
    }
    if (!Files.isDirectory(frames())) {
      throw new DatasetException("dataset " + root + ": missing folder frames/");
    }
    for (Path p : List.of(frameList(split), groundTruth(split))) {
      if (!Files.isRegularFile(p)) {
        throw new DatasetException("dataset " + root + ": missing file " + root.relativize(p));
      }
    }
    labelMap();
  }
}
