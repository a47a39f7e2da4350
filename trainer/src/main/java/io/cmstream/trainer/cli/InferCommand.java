package io.cmstream.trainer.cli;

import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.common.window.WindowSpan;
import io.cmstream.runtime.Device;
import io.cmstream.runtime.ModelBundle;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.DatasetException;
import io.cmstream.trainer.infer.TwoScanInference;
import io.cmstream.trainer.train.FrameMapValidation;
import io.cmstream.trainer.train.Validator;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trainer infer}: offline two-scan inference of a model bundle on ONNX Runtime. */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description =
        "Offline two-scan inference of a model bundle with ONNX Runtime (CPU): encode every keyframe "
            + "clip once, then score each keyframe with the memory of its window. Writes AVA detections, prints frame-mAP.")
public final class InferCommand implements Callable<Integer> {
  @Mixin SplitOptions splitOptions;

  @Option(
      names = "--bundle",
      required = true,
      paramLabel = "B",
      description = "model bundle folder")
  Path bundle;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "detections CSV to write")
  Path out;

  @Option(
      names = "--ahead",
      paramLabel = "K",
      description =
          "seconds of lookahead in the memory window, "
              + "at most the training window's (default: the training window's; 0 = causal)")
  Integer ahead;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "cpu | cuda | auto (default ${DEFAULT-VALUE})")
  String device;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "ONNX Runtime intra-op threads (default 0: all cores)")
  int threads;

  @Option(
      names = "--graph-optimization",
      defaultValue = "all",
      description =
          "ONNX Runtime graph optimisation: none | basic | extended | all (default ${DEFAULT-VALUE})")
  String optimization;

  @Override
  public Integer call() throws Exception {
    SessionSettings settings =
        new SessionSettings(
            Device.parse(device), threads, 0, SessionSettings.Optimization.parse(optimization));
    try (ModelBundle b = ModelBundle.open(bundle, settings)) {
      WindowSpan window = ahead == null ? b.window() : b.window(ahead);
      int[] classIds = TwoScanInference.classIds(b.manifest());
      AvaSplit s = splitOptions.load();
      if (!Arrays.equals(s.classIds(), classIds)) {
        throw new DatasetException(
            "the bundle's classes "
                + Arrays.toString(classIds)
                + " do not match the dataset's label map "
                + Arrays.toString(s.classIds()));
      }
      int bk = window.back();
      int ah = window.ahead();
      TwoScanInference inference =
          new TwoScanInference(b.encoder(), b.contextHead(), b.clipSpec(), window);
      long videos = s.evaluationBoxes().keySet().stream().map(k -> k.videoId()).distinct().count();
      long t0 = System.nanoTime();
      List<DetectionRow> rows;
      try (ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName("infer (videos)")
              .setInitialMax(videos)
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(1000)
              .setConsumer(new ConsoleProgressBarConsumer(System.err))
              .build()) {
        rows = inference.detect(s, classIds, k -> bar.step());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      DetectionsCsv.write(out, rows);
      TwoScanInference.Stats st = inference.stats(s.videos().size());
      System.err.printf(
          Locale.ROOT,
          "trainer: %s window -%d/+%d: encoded %d clips (%.1f ms each), scored %d keyframes (%.2f ms each), "
              + "%d rows to %s in %.1f s%n",
          b.manifest().qualifiedId(),
          bk,
          ah,
          st.encodedSeconds(),
          st.encoderNanos() / 1e6 / Math.max(1, st.encodedSeconds()),
          st.scoredKeyframes(),
          st.headNanos() / 1e6 / Math.max(1, st.scoredKeyframes()),
          rows.size(),
          out,
          seconds);
      Validator.Result r = FrameMapValidation.evaluate(s, out, System.out);
      System.out.printf(
          Locale.ROOT,
          "frame-mAP@0.5IoU (ahead %d): %.2f points (training reported %.2f)%n",
          ah,
          r.mapPoints(),
          b.manifest().training().validationMap() * 100);
    }
    return 0;
  }
}
