package io.cmstream.app.demo;

import io.cmstream.ava.video.VideoReader;
import io.cmstream.common.cli.ProjectVersion;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.service.DetectorService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cm demo}: the whole service on one machine, on a synthetic video or any video. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Start an embedded Kafka broker (KRaft), the detector service and the streamer in this process,",
      "stream a video through them, and write detections.csv, annotated.mp4 and report.html."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      description = "video to stream (default: a synthetic validation video generated now)")
  Path input;

  @Option(
      names = "--proposals",
      description = "AVA person proposals CSV for --input (default: HOG person detector)")
  Path proposals;

  @Option(
      names = "--stream-id",
      description =
          "stream id = video id in the proposals (default: the file name without extension)")
  String streamId;

  @Option(
      names = "--out",
      defaultValue = "demo-out",
      description = "output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--realtime", description = "pace the video like a live camera")
  boolean realtime;

  @Option(
      names = "--bundle",
      description =
          "model bundle to demo, any exported or imported one (default: models/demo of the project)")
  Path bundle;

  @Option(
      names = "--ahead",
      description =
          "memory lookahead in seconds, <= the model's training ahead (default: training ahead; 0 = causal)")
  Integer ahead;

  @Option(
      names = "--seconds",
      defaultValue = "" + SyntheticDemoVideo.DEFAULT_SECONDS,
      description = "length of the synthetic video (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(
      names = "--seed",
      defaultValue = "" + SyntheticDemoVideo.DEFAULT_SEED,
      description = "seed of the synthetic video (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--kafka-port",
      defaultValue = "0",
      description = "embedded broker port on 127.0.0.1, 0 = a free one (default: ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(
      names = "--http-port",
      defaultValue = "0",
      description =
          "detector health/metrics port, 0 = a free one, -1 = none (default: ${DEFAULT-VALUE})")
  int httpPort;

  @Option(
      names = "--drain-timeout",
      defaultValue = "60",
      description =
          "seconds to wait for the last detections after the stream ends (default: ${DEFAULT-VALUE})")
  int drainSeconds;

  @Option(
      names = "--plain",
      description = "print a status line per second instead of refreshing one line")
  boolean plain;

  @Option(
      names = "--commit-interval-ms",
      description =
          "the detector's commit interval: detections become visible at each commit (default: the service's, "
              + DetectorService.COMMIT_INTERVAL_MS
              + ")")
  Integer commitIntervalMs;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintStream log = System.out;
    Path bundleDir = bundle != null ? bundle : defaultBundle();
    if (!Files.isDirectory(bundleDir)) {
      throw new IllegalArgumentException(
          "model bundle not found: " + bundleDir + " (build it with: bin/cm build-demo-model)");
    }
    if (commitIntervalMs != null && commitIntervalMs < 1) {
      throw new IllegalArgumentException(
          "--commit-interval-ms must be at least 1, got " + commitIntervalMs);
    }
    Path outDir = prepareOut(out);
    if (input != null && proposals == null && streamId == null) {
      streamId = stripExtension(input.getFileName().toString());
    }
    if (input != null) {
      try (VideoReader r = VideoReader.open(input)) {
        log.printf(
            Locale.ROOT,
            "input %s: %dx%d, %.2f fps%n",
            input,
            r.width(),
            r.height(),
            r.frameRate());
      }
    }
    if (proposals != null && !Files.isRegularFile(proposals)) {
      throw new IllegalArgumentException("no such proposals file: " + proposals);
    }
    DetectorConfig config =
        DemoRun.detectorConfig(bundleDir, ahead); // refuses a bad bundle before anything starts
    DemoInput demoInput;
    if (input == null) {
      log.printf("generating a %d s synthetic validation video (seed %d)...%n", seconds, seed);
      demoInput =
          SyntheticDemoVideo.generate(
              outDir.resolve("input"),
              seed,
              seconds,
              (int) Math.round(config.model().clipSpec().fps()));
      if (!sameClasses(
          LabelMapPbtxt.read(demoInput.labelMap()),
          LabelMapPbtxt.read(bundleDir.resolve("labelmap.pbtxt")))) {
        log.println(
            "the bundle's classes are not the synthetic set's: its detections are shown without ground truth");
        demoInput =
            new DemoInput(
                demoInput.video(), demoInput.streamId(), demoInput.proposals(), null, null, null);
      }
    } else {
      demoInput =
          new DemoInput(
              input,
              streamId != null ? streamId : stripExtension(input.getFileName().toString()),
              proposals,
              null,
              null,
              null);
    }
    DemoSettings settings =
        new DemoSettings(
            bundleDir,
            outDir,
            realtime,
            ahead,
            kafkaPort,
            httpPort,
            Duration.ofSeconds(drainSeconds),
            !plain && System.console() != null,
            commitIntervalMs);

    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                done.await(90, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      DemoResult result = new DemoRun(settings, log).run(demoInput, stop);
      log.println("writing detections, annotated video and report...");
      DemoOutputs.Written w =
          DemoOutputs.write(
              demoInput,
              result,
              settings,
              config.model().modelId(),
              config.window().back(),
              config.window().ahead());
      log.printf(
          Locale.ROOT,
          "%d seconds streamed, %d detected (%d records)%s%n",
          result.clipsStreamed(),
          result.received().size(),
          result.records(),
          result.stopped() ? ", stopped early" : "");
      if (w.meanAp() != null) {
        log.printf(
            Locale.ROOT, "frame-mAP against the synthetic ground truth: %.2f%n", 100 * w.meanAp());
      }
      log.println("detections: " + w.detections());
      log.println("annotated video: " + w.video() + " (" + w.videoFrames() + " frames)");
      log.println("report: " + w.report());
      return 0;
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook waits for us
      }
    }
  }

  /**
   * Whether two label maps have the same ids with the same names (ground truth of one scores the
   * other).
   */
  static boolean sameClasses(LabelMap a, LabelMap b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int id : a.ids()) {
      if (!b.contains(id) || !a.name(id).equals(b.name(id))) {
        return false;
      }
    }
    return true;
  }

  static Path defaultBundle() {
    String home = System.getProperty("cm.home");
    return (home != null ? Path.of(home) : Path.of(".")).resolve("models").resolve("demo");
  }

  static Path prepareOut(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException | SecurityException e) {
      throw new IllegalArgumentException(
          "cannot create output folder " + dir + ": " + e.getMessage());
    }
    if (!Files.isWritable(dir)) {
      throw new IllegalArgumentException("output folder is not writable: " + dir);
    }
    return dir;
  }

  static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
