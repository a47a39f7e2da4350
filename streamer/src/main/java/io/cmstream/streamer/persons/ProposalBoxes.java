package io.cmstream.streamer.persons;

import io.cmstream.ava.format.ProposalRow;
import io.cmstream.ava.format.ProposalsCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Person boxes from an AVA-format proposals CSV ({@code video_id,timestamp,x1,y1,x2,y2,,score}, as
 * AVA and the synthetic set ship them): the rows of one video, keyed by keyframe second, with a
 * score threshold. Malformed rows fail the whole file with {@code file:line: problem}.
 */
public final class ProposalBoxes implements PersonBoxSource {
  private final Map<Integer, List<PersonBox>> bySecond;

  private ProposalBoxes(Map<Integer, List<PersonBox>> bySecond) {
    this.bySecond = bySecond;
  }

  /**
   * Loads the proposals of {@code videoId} with score at least {@code minScore}.
   *
   * @throws IllegalArgumentException when the file is missing or has no row for the video
   * @throws io.cmstream.common.format.AvaFormatException on a malformed row (with its line number)
   */
  public static ProposalBoxes load(Path csv, String videoId, double minScore) {
    return load(csv, videoId, minScore, Set.of());
  }

  /**
   * As {@link #load(Path, String, double)}, with no boxes on the excluded keyframe seconds (AVA's
   * excluded timestamps: {@code trainer infer} and the evaluator skip them, so a recording for
   * comparison scores nothing there either).
   */
  public static ProposalBoxes load(
      Path csv, String videoId, double minScore, Set<Integer> excludedSeconds) {
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException("proposals file not found: " + csv);
    }
    Map<Integer, List<PersonBox>> bySecond = new HashMap<>();
    TreeSet<String> videos = new TreeSet<>();
    int rows = 0;
    for (ProposalRow r : ProposalsCsv.read(csv)) {
      videos.add(r.key().videoId());
      if (!r.key().videoId().equals(videoId)) {
        continue;
      }
      rows++;
      if (r.score() >= minScore && !excludedSeconds.contains(r.key().timestamp())) {
        bySecond
            .computeIfAbsent(r.key().timestamp(), k -> new ArrayList<>())
            .add(new PersonBox(r.box().x1(), r.box().y1(), r.box().x2(), r.box().y2(), r.score()));
      }
    }
    if (rows == 0) {
      String known =
          videos.isEmpty()
              ? "the file has no rows"
              : "videos in the file: "
                  + String.join(", ", videos.stream().limit(5).toList())
                  + (videos.size() > 5 ? ", ..." : "");
      throw new IllegalArgumentException(
          "no proposals for video '"
              + videoId
              + "' in "
              + csv
              + " ("
              + known
              + "; set --video-id)");
    }
    bySecond.replaceAll((k, v) -> List.copyOf(v));
    return new ProposalBoxes(Map.copyOf(bySecond));
  }

  @Override
  public List<PersonBox> boxes(int second, Mat keyframe) {
    return bySecond.getOrDefault(second, List.of());
  }

  @Override
  public String name() {
    return "proposals";
  }
}
