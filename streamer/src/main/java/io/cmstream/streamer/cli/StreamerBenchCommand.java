package io.cmstream.streamer.cli;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.cmstream.common.clip.ClipSpec;
import io.cmstream.streamer.ClipStreamer;
import io.cmstream.streamer.ReconnectPolicy;
import io.cmstream.streamer.StreamListener;
import io.cmstream.streamer.StreamSettings;
import io.cmstream.streamer.StreamSummary;
import io.cmstream.streamer.bench.SharedData;
import io.cmstream.streamer.bench.TestPatternWriter;
import io.cmstream.streamer.clip.Clip;
import io.cmstream.streamer.persons.HogPersonDetector;
import io.cmstream.streamer.persons.HogSettings;
import io.cmstream.streamer.persons.IouTracker;
import io.cmstream.streamer.persons.NoPersons;
import io.cmstream.streamer.persons.PersonBox;
import io.cmstream.streamer.persons.PersonBoxSource;
import io.cmstream.streamer.publish.ClipSink;
import io.cmstream.streamer.video.TimestampSanitizer;
import io.cmstream.streamer.video.VideoInput;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = io.cmstream.common.cli.ProjectVersion.class,
    description = {
      "Measures the streamer: HOG person boxes on real street footage (share of seconds with a person, time per",
      "keyframe), HOG throughput on 640x480 keyframes, and decode+encode throughput (seconds of video per second)",
      "on a synthetic video and a 1080p test pattern.",
      "Example: streamer bench --street ../shared/data/vtest.avi --synthetic data/synth/videos/val_000.mp4"
    })
final class StreamerBenchCommand implements Callable<Integer> {

  @Option(
      names = "--street",
      paramLabel = "VIDEO",
      description =
          "Street footage for the HOG measurements. Default: vtest.avi of ../shared/data beside the repository (skipped when absent).")
  Path street;

  @Option(
      names = "--synthetic",
      paramLabel = "VIDEO",
      description = "A synthetic video (ava-tools synth) for decode+encode throughput.")
  Path synthetic;

  @Option(
      names = "--pattern-seconds",
      defaultValue = "10",
      description = "Length of the 1080p test pattern (0 = skip it). Default ${DEFAULT-VALUE}.")
  int patternSeconds;

  @Option(
      names = "--fps",
      defaultValue = "30",
      description = "Model fps. Default ${DEFAULT-VALUE}.")
  double fps;

  @Option(
      names = "--frames",
      defaultValue = "8",
      description = "Frames per clip. Default ${DEFAULT-VALUE}.")
  int frames;

  @Option(
      names = "--stride",
      defaultValue = "8",
      description = "Clip stride. Default ${DEFAULT-VALUE}.")
  int stride;

  @Option(
      names = "--short-side",
      defaultValue = "256",
      description = "JPEG short side. Default ${DEFAULT-VALUE}.")
  int shortSide;

  @Option(
      names = "--jpeg-quality",
      defaultValue = "90",
      description = "JPEG quality. Default ${DEFAULT-VALUE}.")
  int jpegQuality;

  @ArgGroup(exclusive = false, heading = "%nHOG people detector and tracker:%n")
  ClipOptions.Hog hog = new ClipOptions.Hog();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "streamer bench: %d cores, clips T=%d stride=%d at %.2f fps, JPEG q%d short side %d%n",
        Runtime.getRuntime().availableProcessors(),
        frames,
        stride,
        fps,
        jpegQuality,
        shortSide);
    if (street == null) {
      street = SharedData.find("vtest.avi").orElse(Path.of("../shared/data/vtest.avi"));
    }
    if (Files.isRegularFile(street)) {
      streetFootage(out);
      hogThroughput(out);
    } else {
      out.println("street footage " + street + " not found: HOG measurements skipped");
    }
    if (synthetic != null) {
      throughput(out, "synthetic video " + synthetic.getFileName(), synthetic);
    }
    if (patternSeconds <= 0) {
      out.flush();
      return 0;
    }
    Path dir = Files.createTempDirectory("streamer-bench-");
    try {
      Path pattern = dir.resolve("pattern_1080p.mp4");
      long t0 = System.nanoTime();
      String codec = TestPatternWriter.write(pattern, 1920, 1080, 30, patternSeconds * 30);
      out.printf(
          Locale.ROOT,
          "1080p test pattern: %d s at 30 fps, %s, %.1f MB (written in %.1f s)%n",
          patternSeconds,
          codec,
          Files.size(pattern) / 1048576.0,
          (System.nanoTime() - t0) / 1e9);
      throughput(out, "1080p test pattern (" + codec + ")", pattern);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    out.flush();
    return 0;
  }

  private StreamSettings settings(Path input) {
    return new StreamSettings(
        input.toString(),
        null,
        ClipSpec.of(frames, stride, fps, shortSide),
        shortSide,
        jpegQuality,
        false,
        0,
        new ReconnectPolicy(0, java.time.Duration.ZERO, java.time.Duration.ZERO),
        10_000);
  }

  /** HOG + tracker over every keyframe of the street footage, through the real streamer loop. */
  private void streetFootage(PrintWriter out) throws InterruptedException {
    HogSettings hs = hog.settings();
    List<Integer> rawCounts = new ArrayList<>();
    long[] hogNanos = {0};
    long[] hogCpuNanos = {0};
    try (HogPersonDetector detector = new HogPersonDetector(hs)) {
      IouTracker tracker = new IouTracker(hog.trackIou, hog.trackSmoothing, hog.trackHold);
      PersonBoxSource timed =
          new PersonBoxSource() {
            @Override
            public List<PersonBox> boxes(int second, Mat keyframe) {
              long t0 = System.nanoTime();
              long c0 = processCpuNanos();
              List<PersonBox> raw = detector.detect(keyframe);
              hogNanos[0] += System.nanoTime() - t0;
              hogCpuNanos[0] += processCpuNanos() - c0;
              rawCounts.add(raw.size());
              return tracker.update(raw).stream().map(IouTracker.Track::box).toList();
            }

            @Override
            public String name() {
              return "hog";
            }
          };
      CountingSink sink = new CountingSink();
      int[] decoded = new int[2];
      StreamListener sizes =
          new StreamListener() {
            @Override
            public void opened(VideoInput input) {
              decoded[0] = input.width();
              decoded[1] = input.height();
            }
          };
      StreamSummary s = new ClipStreamer(settings(street)).run(timed, sink, sizes, () -> false);
      int seconds = sink.clips;
      long rawWith = rawCounts.stream().limit(seconds).filter(c -> c > 0).count();
      double msPerKeyframe = hogNanos[0] / 1e6 / Math.max(1, rawCounts.size());
      out.printf(
          Locale.ROOT,
          "street footage %s: %d whole seconds, %.1f s of video processed in %.1f s%n",
          street.getFileName(),
          seconds,
          s.mediaSeconds(),
          s.elapsed().toMillis() / 1e3);
      out.printf(
          Locale.ROOT,
          "  HOG (upscale %.2f, scale %.2f, stride %d, group %d, nms %.2f; track hold %d s): seconds with >= 1 person box:"
              + " %d/%d = %.1f%% (tracked), %d/%d = %.1f%% (raw detections); mean boxes per second %.2f tracked,"
              + " %.2f raw; HOG %.0f ms per keyframe (%.0f ms CPU, all threads; %dx%d decoded)%n",
          hs.upscale(),
          hs.scale(),
          hs.winStride(),
          hs.groupThreshold(),
          hs.nmsIou(),
          hog.trackHold,
          sink.withBoxes,
          seconds,
          100.0 * sink.withBoxes / Math.max(1, seconds),
          rawWith,
          seconds,
          100.0 * rawWith / Math.max(1, seconds),
          sink.boxes / (double) Math.max(1, seconds),
          rawCounts.stream().limit(seconds).mapToInt(Integer::intValue).sum()
              / (double) Math.max(1, seconds),
          msPerKeyframe,
          hogCpuNanos[0] / 1e6 / Math.max(1, rawCounts.size()),
          decoded[0],
          decoded[1]);
    }
  }

  /** The detector alone on keyframes resized to 640x480: keyframes per second. */
  private void hogThroughput(PrintWriter out) {
    List<Mat> keyframes = new ArrayList<>();
    try (VideoInput in = VideoInput.open(street.toString(), null, 10_000)) {
      TimestampSanitizer ts = new TimestampSanitizer(in.frameRate());
      long nextSecond = 0;
      Mat m;
      while ((m = in.grab()) != null && keyframes.size() < 20) {
        long t = ts.mediaMicros(in.timestampMicros());
        if (t >= nextSecond * 1_000_000L) {
          Mat k = new Mat();
          resize(m, k, new Size(640, 480), 0, 0, m.cols() > 640 ? INTER_AREA : INTER_LINEAR);
          keyframes.add(k);
          nextSecond++;
        }
      }
    }
    HogSettings[] variants = {hog.settings(), withUpscale(hog.settings(), 1.0)};
    for (HogSettings hs : variants) {
      try (HogPersonDetector d = new HogPersonDetector(hs)) {
        d.detect(keyframes.get(0)); // warm-up
        long t0 = System.nanoTime();
        long c0 = processCpuNanos();
        int boxes = 0;
        for (Mat k : keyframes) {
          boxes += d.detect(k).size();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - c0) / 1e9;
        out.printf(
            Locale.ROOT,
            "HOG on 640x480 keyframes (upscale %.2f -> %dx%d): %.2f keyframes/s (%.0f ms each;"
                + " %.0f ms CPU each = %.2f keyframes per CPU second; %d keyframes, %.1f boxes each)%n",
            hs.upscale(),
            (int) Math.round(640 * hs.factorFor(640, 480)),
            (int) Math.round(480 * hs.factorFor(640, 480)),
            keyframes.size() / s,
            1000 * s / keyframes.size(),
            1000 * cpu / keyframes.size(),
            keyframes.size() / cpu,
            keyframes.size(),
            boxes / (double) keyframes.size());
      }
    }
    keyframes.forEach(Mat::close);
  }

  private static HogSettings withUpscale(HogSettings s, double upscale) {
    return new HogSettings(
        upscale,
        s.maxSide(),
        s.winStride(),
        s.padding(),
        s.scale(),
        s.hitThreshold(),
        s.groupThreshold(),
        s.nmsIou(),
        s.minScore());
  }

  /**
   * CPU time of the whole process (all threads, FFmpeg's included), nanoseconds; -1 when unknown.
   */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  /**
   * Decode + resample + JPEG encode (no person detector): seconds of video per wall second, and per
   * CPU second (a fairer number on a shared machine).
   */
  private void throughput(PrintWriter out, String name, Path video) throws InterruptedException {
    int[] polls = {0};
    // warm-up (JIT, native libraries, decoder): the first 60 frames, not measured
    new ClipStreamer(settings(video))
        .run(new NoPersons(), new CountingSink(), StreamListener.NONE, () -> ++polls[0] > 60);
    CountingSink sink = new CountingSink();
    long cpu0 = processCpuNanos();
    StreamSummary s =
        new ClipStreamer(settings(video))
            .run(new NoPersons(), sink, StreamListener.NONE, () -> false);
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    out.printf(
        Locale.ROOT,
        "decode+encode %s: %.1f s of video in %.2f s = %.2f s of video per second"
            + " (%.2f CPU s used: %.2f s of video per CPU second); %d clips of %dx%d, %.1f kB per clip%n",
        name,
        s.mediaSeconds(),
        s.elapsed().toMillis() / 1e3,
        s.speed(),
        cpu,
        s.mediaSeconds() / Math.max(1e-9, cpu),
        s.clips(),
        sink.width,
        sink.height,
        sink.bytes / 1024.0 / Math.max(1, sink.clips));
  }

  /** Counts clips, boxes and bytes. */
  private static final class CountingSink implements ClipSink {
    int clips;
    int withBoxes;
    long boxes;
    long bytes;
    int width;
    int height;

    @Override
    public long accept(Clip clip) {
      if (clip.endOfStream()) {
        return clip.frameBytes(); // the end-of-stream repeat of the last clip
      }
      clips++;
      if (!clip.boxes().isEmpty()) {
        withBoxes++;
      }
      boxes += clip.boxes().size();
      bytes += clip.frameBytes();
      width = clip.width();
      height = clip.height();
      return clip.frameBytes();
    }

    @Override
    public int skipped() {
      return 0;
    }

    @Override
    public int written() {
      return clips;
    }

    @Override
    public void close() {}
  }
}
