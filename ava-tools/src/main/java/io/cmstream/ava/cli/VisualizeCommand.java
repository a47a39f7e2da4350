package io.cmstream.ava.cli;

import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.ava.format.GroundTruthCsv;
import io.cmstream.ava.format.GroundTruthRow;
import io.cmstream.ava.viz.SecondLabels;
import io.cmstream.ava.viz.VideoAnnotator;
import io.cmstream.common.cli.ProjectVersion;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ava-tools visualize}: an annotated copy of a video with detections (and ground truth). */
@Command(
    name = "visualize",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description =
        "Draw AVA detections (and ground truth) on a video: boxes, top actions and scores on every frame.")
public final class VisualizeCommand implements Callable<Integer> {
  @Option(names = "--video", required = true, description = "input video file")
  Path video;

  @Option(names = "--detections", required = true, description = "AVA detections CSV")
  Path detections;

  @Option(names = "--groundtruth", description = "AVA ground-truth CSV (drawn dashed, white)")
  Path groundTruth;

  @Option(names = "--labelmap", description = "label map pbtxt (action names instead of ids)")
  Path labelMap;

  @Option(
      names = "--video-id",
      description = "video id in the CSVs (default: the file name without extension)")
  String videoId;

  @Option(
      names = "--timestamp-offset",
      defaultValue = "0",
      description = "second number of the first frame (default: ${DEFAULT-VALUE})")
  int offset;

  @Option(
      names = "--top",
      defaultValue = "3",
      description = "actions printed per person (default: ${DEFAULT-VALUE})")
  int top;

  @Option(
      names = "--min-score",
      defaultValue = "0.3",
      description = "lowest score printed (default: ${DEFAULT-VALUE})")
  double minScore;

  @Option(names = "--out", required = true, description = "annotated mp4 to write")
  Path out;

  @Option(
      names = "--min-width",
      defaultValue = "" + VideoAnnotator.MIN_WIDTH,
      description =
          "videos narrower than this are scaled up to it, so labels can be read (default: ${DEFAULT-VALUE})")
  int minWidth;

  @Override
  public Integer call() {
    if (minWidth < 0 || minWidth > 3840) {
      throw new IllegalArgumentException("--min-width must be in 0..3840, got " + minWidth);
    }
    String id = videoId != null ? videoId : stripExtension(video.getFileName().toString());
    LabelMap labels = labelMap == null ? null : LabelMapPbtxt.read(labelMap);
    List<DetectionRow> dets =
        DetectionsCsv.read(detections).stream().filter(d -> d.key().videoId().equals(id)).toList();
    List<GroundTruthRow> gt =
        groundTruth == null
            ? List.of()
            : GroundTruthCsv.read(groundTruth).stream()
                .filter(g -> g.key().videoId().equals(id))
                .toList();
    if (dets.isEmpty() && gt.isEmpty()) {
      throw new IllegalArgumentException(
          "no rows for video id '" + id + "' in " + detections + " (set --video-id)");
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IllegalArgumentException("output folder does not exist: " + parent);
    }
    if (parent != null && !Files.isWritable(parent)) {
      throw new IllegalArgumentException("output folder is not writable: " + parent);
    }
    SecondLabels s = SecondLabels.build(dets, gt, labels, top, minScore);
    VideoAnnotator.Result r;
    try (ProgressBar pb =
        new ProgressBarBuilder()
            .setTaskName("annotate")
            .setUnit(" frames", 1)
            .setStyle(ProgressBarStyle.ASCII)
            .setInitialMax(-1)
            .build()) {
      r =
          VideoAnnotator.annotate(
              video, s, offset, minWidth, VideoAnnotator.legend(s), out, pb::stepTo);
    }
    System.out.printf(
        "wrote %s: %d frames %dx%d at %.2f fps (%s)%n",
        out, r.frames(), r.width(), r.height(), r.fps(), r.codec());
    return 0;
  }

  static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
