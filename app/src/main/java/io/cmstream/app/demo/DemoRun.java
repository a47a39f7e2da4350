package io.cmstream.app.demo;

import io.cmstream.common.clip.ClipSpec;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.model.BundleLoader;
import io.cmstream.detector.model.DetectorModel;
import io.cmstream.detector.service.DetectorService;
import io.cmstream.kafka.EmbeddedKafkaBroker;
import io.cmstream.kafka.TempFolders;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.schemas.Topics;
import io.cmstream.streamer.ClipStreamer;
import io.cmstream.streamer.ReconnectPolicy;
import io.cmstream.streamer.StreamListener;
import io.cmstream.streamer.StreamSettings;
import io.cmstream.streamer.StreamSummary;
import io.cmstream.streamer.clip.Clip;
import io.cmstream.streamer.persons.HogPersonBoxes;
import io.cmstream.streamer.persons.HogSettings;
import io.cmstream.streamer.persons.IouTracker;
import io.cmstream.streamer.persons.PersonBoxSource;
import io.cmstream.streamer.persons.ProposalBoxes;
import io.cmstream.streamer.publish.AvroClipRecorder;
import io.cmstream.streamer.publish.KafkaClipPublisher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One demo run: an embedded KRaft broker, the detector service and the streamer in this process,
 * talking only through the broker; returns what the detection topic delivered.
 */
public final class DemoRun {
  /** The recording of every published clip, written next to the outputs. */
  public static final String RECORDING = "clips.avro";

  /**
   * Person proposals below this score are not sent: the trainer's eval/infer threshold, so the demo
   * serves what was validated.
   */
  public static final double PROPOSAL_THRESHOLD = 0.5;

  /** How long the detector may take to get its partitions before the stream starts. */
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final DemoSettings settings;
  private final PrintStream log;

  public DemoRun(DemoSettings settings, PrintStream log) {
    this.settings = settings;
    this.log = log;
  }

  /** The detector configuration the demo serves with (bundle, memory window). */
  public static DetectorConfig detectorConfig(Path bundle, Integer ahead) {
    DetectorModel model = BundleLoader.load(bundle, SessionSettings.defaults());
    DetectorConfig base = DetectorConfig.defaults(model);
    return ahead == null ? base : base.withAhead(ahead);
  }

  /**
   * Runs the demo on {@code input} until the stream ended and its detections arrived, or {@code
   * stop} turned true (Ctrl-C).
   */
  public DemoResult run(DemoInput input, AtomicBoolean stop)
      throws IOException, InterruptedException {
    DetectorConfig config = detectorConfig(settings.bundle(), settings.ahead());
    ClipSpec spec = config.model().clipSpec();
    Topics topics = config.topics();
    Path stateDir = Files.createTempDirectory(settings.out(), ".streams-state-"); // removed below
    log.printf(
        "model %s: T=%d stride=%d fps=%.0f, memory window [t-%d, t+%d]%n",
        config.model().modelId(),
        spec.frames(),
        spec.stride(),
        spec.fps(),
        config.window().back(),
        config.window().ahead());
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings.kafkaPort())) {
      log.println("embedded Kafka broker (KRaft) at " + broker.bootstrapServers());
      broker.createTopics(1, topics.names().toArray(String[]::new));
      broker.warmUpTransactions(); // a fresh broker's first transaction is not the service's cost
      Properties props = new Properties();
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cm-demo-" + UUID.randomUUID());
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      if (settings.commitIntervalMs() != null) {
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitIntervalMs().toString());
      }
      try (DetectorService detector = new DetectorService(config, props, settings.httpPort());
          DetectionCollector collector =
              new DetectionCollector(
                  broker.bootstrapServers(), topics.detections(), input.streamId())) {
        detector.start();
        if (detector.httpPort() > 0) {
          log.printf(
              "detector health http://127.0.0.1:%d/health, metrics http://127.0.0.1:%d/metrics%n",
              detector.httpPort(), detector.httpPort());
        }
        collector.start();
        awaitRunning(detector, stop);
        return stream(
            input, spec, config.window().ahead(), broker, topics, detector, collector, stop);
      }
    } finally {
      TempFolders.delete(stateDir);
    }
  }

  private DemoResult stream(
      DemoInput input,
      ClipSpec spec,
      int ahead,
      EmbeddedKafkaBroker broker,
      Topics topics,
      DetectorService detector,
      DetectionCollector collector,
      AtomicBoolean stop)
      throws InterruptedException {
    StreamSettings streamSettings =
        new StreamSettings(
            input.video().toString(),
            null,
            spec,
            spec.shortSide(),
            90,
            settings.realtime(),
            0,
            ReconnectPolicy.defaults(),
            10_000);
    AtomicInteger streamed = new AtomicInteger();
    AtomicReference<StreamSummary> summary = new AtomicReference<>();
    AtomicReference<Throwable> streamFailure = new AtomicReference<>();
    long start = System.nanoTime();
    Thread streamer =
        new Thread(
            () -> {
              try (PersonBoxSource persons = persons(input);
                  KafkaClipPublisher kafka =
                      new KafkaClipPublisher(
                          broker.bootstrapServers(),
                          topics.clips(),
                          input.streamId(),
                          new Properties());
                  TeeSink sink =
                      new TeeSink(
                          kafka,
                          new AvroClipRecorder(
                              settings.out().resolve(RECORDING), input.streamId()))) {
                summary.set(
                    new ClipStreamer(streamSettings)
                        .run(
                            persons,
                            sink,
                            new StreamListener() {
                              @Override
                              public void clipWritten(Clip clip, long bytes) {
                                streamed.incrementAndGet();
                              }
                            },
                            stop::get));
              } catch (Throwable t) {
                streamFailure.set(t);
              }
            },
            "demo-streamer");
    streamer.start();
    LiveView view = new LiveView(log, settings.liveTerminal());
    long drainDeadline = Long.MAX_VALUE;
    while (true) {
      view.update(streamed.get(), collector, false);
      if (streamFailure.get() != null) {
        break;
      }
      if (collector.failure() != null) {
        throw new IllegalStateException(
            "reading detections failed: " + collector.failure().getMessage(), collector.failure());
      }
      if (detector.state() == org.apache.kafka.streams.KafkaStreams.State.ERROR) {
        throw new IllegalStateException("the detector service failed (see the log above)");
      }
      if (!streamer.isAlive()) {
        if (drainDeadline == Long.MAX_VALUE) {
          drainDeadline = System.nanoTime() + settings.drainTimeout().toNanos();
        }
        int clips = summary.get() == null ? streamed.get() : summary.get().clips();
        if (collector.seconds() >= clips || System.nanoTime() > drainDeadline) {
          break;
        }
      }
      Thread.sleep(50);
    }
    streamer.join();
    view.update(streamed.get(), collector, true);
    view.finish();
    Throwable failure = streamFailure.get();
    if (failure != null) {
      throw failure instanceof RuntimeException re
          ? re
          : new IllegalStateException(failure.getMessage(), failure);
    }
    StreamSummary s = summary.get();
    if (s.clips() == 0) {
      throw new IllegalArgumentException(
          "input " + input.video() + " has no whole second of video");
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new DemoResult(
        collector.bySecond(),
        collector.records(),
        s.clips(),
        collector.latencies(),
        elapsed,
        s.mediaSeconds(),
        s.stopped() || stop.get(),
        latencyFloorMs(spec, ahead));
  }

  /**
   * Waits until the detector has its partitions (RUNNING): a camera does not wait for the service,
   * so clips streamed before would queue up in Kafka and every detection would pay the start-up
   * (seconds, not the service's latency).
   */
  private void awaitRunning(DetectorService detector, AtomicBoolean stop)
      throws InterruptedException {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (detector.state() != KafkaStreams.State.RUNNING && !stop.get()) {
      if (detector.state() == KafkaStreams.State.ERROR
          || detector.state() == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("the detector service failed to start (see the log above)");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the detector service did not start within " + STARTUP_TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(20);
    }
  }

  /** Lookahead plus half the clip span: when the last frame of clip t + ahead is captured. */
  static long latencyFloorMs(ClipSpec spec, int ahead) {
    return Math.round(1000 * (ahead + spec.span() / spec.fps() / 2));
  }

  private static PersonBoxSource persons(DemoInput input) {
    if (input.proposals() != null) {
      return ProposalBoxes.load(input.proposals(), input.streamId(), PROPOSAL_THRESHOLD);
    }
    return new HogPersonBoxes(HogSettings.defaults(), IouTracker.defaults());
  }
}
