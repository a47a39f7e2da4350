package io.cmstream.app.bench;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.EncodeBatch;
import io.cmstream.detector.ThreadBudget;
import io.cmstream.detector.cli.SyntheticClipOptions;
import io.cmstream.detector.model.BundleLoader;
import io.cmstream.detector.replay.SyntheticClips;
import io.cmstream.detector.service.DetectorService;
import io.cmstream.kafka.EmbeddedKafkaBroker;
import io.cmstream.runtime.Device;
import io.cmstream.runtime.SessionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cm bench-live}: the detector service on the embedded broker against the raw loop, for 1..S
 * streams.
 */
@Command(
    name = "bench-live",
    mixinStandardHelpOptions = true,
    description =
        "Live throughput and latency of the detector service on an in-process KRaft broker "
            + "(exactly-once, RocksDB stores, default commit interval) against the raw encoder+head loop on the "
            + "same clips; prints a table and writes live-bench.png and live-bench.csv.")
public final class LiveBenchCommand implements Callable<Integer> {

  @Mixin LiveRunOptions run = new LiveRunOptions("cpu", 1, Path.of("target/live-bench"));

  @Option(
      names = "--streams",
      split = ",",
      description = "stream counts to measure (default: 1,4,16)")
  List<Integer> streams = List.of(1, 4, 16);

  @Option(
      names = "--rate",
      description =
          "clips per second per stream, 0 = as fast as possible (default: ${DEFAULT-VALUE})")
  double rate = 0;

  @Option(names = "--threads", description = "stream threads (default: ${DEFAULT-VALUE})")
  int threads = 1;

  @Option(
      names = "--partitions",
      description = "partitions of the clips topic (default: ${DEFAULT-VALUE})")
  int partitions = 2;

  @Option(
      names = "--ort-threads",
      description = "ONNX Runtime intra-op threads per session (default: ${DEFAULT-VALUE})")
  int ortThreads = ThreadBudget.INTRA_OP_THREADS;

  @Option(
      names = "--batch-wait-ms",
      description = "longest wait of a queued clip (default: ${DEFAULT-VALUE})")
  long batchWaitMs = 50;

  @Option(
      names = "--commit-interval-ms",
      description =
          "the service's commit.interval.ms (default: the detector's, ${DEFAULT-VALUE}); detections"
              + " become visible at each commit")
  long commitIntervalMs = DetectorService.COMMIT_INTERVAL_MS;

  @Mixin SyntheticClipOptions synthetic = new SyntheticClipOptions();

  @Option(
      names = "--limit-seconds",
      description = "longest wait for one point's detections (default: ${DEFAULT-VALUE})")
  int limitSeconds = 600;

  @Override
  public Integer call() throws Exception {
    if (streams.isEmpty()
        || run.seconds < 1
        || threads < 1
        || partitions < 1
        || rate < 0
        || commitIntervalMs < 1) {
      throw new IllegalArgumentException(
          "need --streams, --seconds/--threads/--partitions/--commit-interval-ms >= 1, --rate >= 0");
    }
    ThreadBudget budget = ThreadBudget.here(threads);
    int intraOp = ortThreads;
    DetectorConfig config =
        DetectorConfig.defaults(
                BundleLoader.load(
                    run.bundle,
                    SessionSettings.defaults()
                        .withDevice(Device.parse(run.device))
                        .withThreads(intraOp, 1)))
            .withBatch(new EncodeBatch(run.batch, Duration.ofMillis(batchWaitMs)));
    SyntheticClips synth = synthetic.clips(config.model().clipSpec().frames());
    Files.createDirectories(run.out);
    double load =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    System.out.printf(
        "model %s, %d stream thread(s) x %d ONNX Runtime thread(s) on %d cores, batch %d (wait %d ms), "
            + "%d partitions, commit interval %d ms, %d clips per stream, rate %s, load average %.1f at start%n",
        config.model().modelId(),
        threads,
        intraOp,
        budget.cores(),
        run.batch,
        batchWaitMs,
        partitions,
        commitIntervalMs,
        run.seconds,
        rate > 0 ? rate + "/s per stream" : "as fast as possible",
        load);
    System.out.println(
        "streams  clips   clips/s   p50 ms   p95 ms  cpu cores  raw clips/s  ratio"
            + "  cpu ms/clip  raw cpu ms/clip  cpu ratio");
    List<LivePoint> points = new ArrayList<>();
    Path state = Files.createTempDirectory("cm-bench-live-");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0)) {
      broker.warmUpTransactions(); // a fresh broker's first transaction is not the service's cost
      LiveBench bench = new LiveBench(broker, config, state, threads, partitions, commitIntervalMs);
      for (int s : streams) {
        LivePoint p = bench.run(s, run.seconds, rate, synth, Duration.ofSeconds(limitSeconds));
        points.add(p);
        System.out.printf(
            "%7d %6d %9.1f %8.0f %8.0f %10.2f %12.1f %6.3f %12.1f %16.1f %10.3f%n",
            p.streams(),
            p.clips(),
            p.clipsPerSecond(),
            p.p50Ms(),
            p.p95Ms(),
            p.cpuCores(),
            p.rawClipsPerSecond(),
            p.ratioToRaw(),
            p.serviceCpuMsPerClip(),
            p.rawCpuMsPerClip(),
            p.cpuRatioToRaw());
      }
    } finally {
      deleteTree(state);
    }
    writeCsv(points, run.out.resolve("live-bench.csv"));
    chart(points, run.out.resolve("live-bench.png"));
    System.out.println(
        "wrote " + run.out.resolve("live-bench.png") + " and " + run.out.resolve("live-bench.csv"));
    return 0;
  }

  private static void writeCsv(List<LivePoint> points, Path csv) throws IOException {
    StringBuilder b =
        new StringBuilder(
            "streams,clips,clips_per_s,p50_ms,p95_ms,cpu_cores,raw_clips_per_s,ratio,"
                + "service_cpu_ms_per_clip,raw_cpu_ms_per_clip,cpu_ratio\n");
    for (LivePoint p : points) {
      b.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%.2f,%.1f,%.1f,%.3f,%.2f,%.4f,%.2f,%.2f,%.4f%n",
              p.streams(),
              p.clips(),
              p.clipsPerSecond(),
              p.p50Ms(),
              p.p95Ms(),
              p.cpuCores(),
              p.rawClipsPerSecond(),
              p.ratioToRaw(),
              p.serviceCpuMsPerClip(),
              p.rawCpuMsPerClip(),
              p.cpuRatioToRaw()));
    }
    Files.writeString(csv, b);
  }

  private static void chart(List<LivePoint> points, Path png) {
    double[] x = points.stream().mapToDouble(LivePoint::streams).toArray();
    XYChart chart =
        new XYChartBuilder()
            .width(760)
            .height(380)
            .title("Live detector: throughput and latency")
            .xAxisTitle("streams")
            .build();
    chart.setYAxisGroupTitle(0, "clips/s");
    chart.setYAxisGroupTitle(1, "latency ms");
    chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
    chart.addSeries(
        "clips/s (live)", x, points.stream().mapToDouble(LivePoint::clipsPerSecond).toArray());
    chart.addSeries(
        "clips/s (raw loop)",
        x,
        points.stream().mapToDouble(LivePoint::rawClipsPerSecond).toArray());
    XYSeries p50 =
        chart.addSeries("p50 latency", x, points.stream().mapToDouble(LivePoint::p50Ms).toArray());
    XYSeries p95 =
        chart.addSeries("p95 latency", x, points.stream().mapToDouble(LivePoint::p95Ms).toArray());
    p50.setYAxisGroup(1);
    p95.setYAxisGroup(1);
    try {
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
