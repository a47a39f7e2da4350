package io.cmstream.detector.cli;

import io.cmstream.ava.eval.EvalProgress;
import io.cmstream.ava.eval.FrameMapEvaluator;
import io.cmstream.ava.eval.FrameMapResult;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.replay.RecordingReader;
import io.cmstream.detector.replay.Replay;
import io.cmstream.detector.topology.DetectorTopology;
import io.cmstream.schemas.manifest.ModelManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Runs recorded streams through the detector topology without a broker (deterministic) "
            + "and writes AVA-format detections.")
final class ReplayCommand implements Callable<Integer> {

  @Mixin ModelOptions model;

  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      paramLabel = "RECORDING",
      description = "recorded streams (Avro container files of clip records) or folders of them")
  List<Path> inputs;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "CSV",
      description = "AVA detections CSV to write")
  Path out;

  @Option(
      names = "--groundtruth",
      paramLabel = "CSV",
      description = "AVA ground truth: prints frame-mAP@0.5IoU")
  Path groundTruth;

  @Option(
      names = "--labelmap",
      paramLabel = "PBTXT",
      description = "label map for the mAP (default: the bundle's)")
  Path labelMap;

  @Option(
      names = "--exclusions",
      paramLabel = "CSV",
      description = "AVA excluded timestamps for the mAP")
  Path exclusions;

  @Option(
      names = "--rocksdb",
      description = "keep state in RocksDB as the service does (default: in memory; same results)")
  boolean rocksDb;

  @Override
  public Integer call() {
    DetectorConfig cfg = model.config();
    List<Path> files = RecordingReader.expand(inputs);
    long total = files.stream().mapToLong(f -> f.toFile().length()).sum();
    Replay.Result result;
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("replay")
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" MB", 1 << 20)
            .continuousUpdate()
            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
            .build()) {
      result =
          Replay.run(
              cfg,
              files,
              rocksDb ? DetectorTopology.Stores.PERSISTENT : DetectorTopology.Stores.IN_MEMORY,
              bar::stepTo);
    }
    DetectionsCsv.write(out, Replay.rows(result.detections()));
    System.out.printf(
        "replayed %d clips from %d recordings in %.1f s (%.1f clips/s): %d detections, %d dead letters -> %s%n",
        result.clips(),
        files.size(),
        result.seconds(),
        result.clipsPerSecond(),
        result.detections().size(),
        result.deadLetters(),
        out);
    if (groundTruth != null) {
      Path labels = labelMap != null ? labelMap : model.bundle.resolve(ModelManifest.LABEL_MAP);
      FrameMapResult map =
          new FrameMapEvaluator().evaluate(labels, groundTruth, out, exclusions, EvalProgress.NONE);
      System.out.print(map.table());
    }
    return 0;
  }
}
