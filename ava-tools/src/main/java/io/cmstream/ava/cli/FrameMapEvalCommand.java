package io.cmstream.ava.cli;

import io.cmstream.ava.eval.EvalProgress;
import io.cmstream.ava.eval.FrameMapEvaluator;
import io.cmstream.ava.eval.FrameMapResult;
import io.cmstream.common.cli.Cli;
import io.cmstream.common.cli.ProjectVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ava-tools eval}: AVA frame-mAP of a detections CSV against ground truth. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "AVA frame-mAP (PASCAL VOC AP at IoU 0.5 per class), equal to the ActivityNet reference evaluator.",
      "Prints per-class AP (in points) and the mean; --json writes fractions in [0, 1]."
    })
public final class FrameMapEvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--labelmap",
      required = true,
      description = "label map (.pbtxt, item{} or label{} dialect)")
  Path labelMap;

  @Option(names = "--groundtruth", required = true, description = "ground truth CSV")
  Path groundTruth;

  @Option(names = "--detections", required = true, description = "detections CSV")
  Path detections;

  @Option(names = "--exclusions", description = "excluded timestamps CSV (video_id,timestamp)")
  Path exclusions;

  @Option(names = "--json", description = "write {\"mAP\": .., \"per_class\": {..}} here")
  Path json;

  @Option(
      names = "--only-groundtruth-keys",
      description =
          "ignore detections of keyframes absent from the ground-truth file (ActivityNet since 2020) "
              + "instead of counting them as false positives")
  boolean onlyGroundTruthKeys;

  @Option(names = "--threads", description = "worker threads (default: ${DEFAULT-VALUE})")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--no-progress", description = "no progress bar on stderr")
  boolean noProgress;

  @Override
  public Integer call() {
    for (Path p : new Path[] {labelMap, groundTruth, detections, exclusions}) {
      if (p != null && !Files.isReadable(p)) {
        throw new IllegalArgumentException("cannot read " + p + ": no such file");
      }
    }
    FrameMapEvaluator evaluator =
        new FrameMapEvaluator(new FrameMapEvaluator.Options(threads, onlyGroundTruthKeys));
    FrameMapResult result;
    try (EvalProgress progress = noProgress ? EvalProgress.NONE : new ProgressBarEvalProgress()) {
      result = evaluator.evaluate(labelMap, groundTruth, detections, exclusions, progress);
    }
    java.io.PrintWriter out = spec.commandLine().getOut();
    FrameMapResult.Counts c = result.counts();
    out.printf(
        java.util.Locale.ROOT,
        "ground truth: %,d rows on %,d keyframes; detections: %,d rows on %,d keyframes, %,d scored; %,d keyframes excluded%n",
        c.groundTruthRows(),
        c.groundTruthKeys(),
        c.detectionRows(),
        c.detectionKeys(),
        c.scoredDetections(),
        c.excludedKeys());
    out.print(result.table());
    if (json != null) {
      result.writeJson(json);
      out.println("wrote " + json);
    }
    out.flush();
    return Cli.OK;
  }
}
