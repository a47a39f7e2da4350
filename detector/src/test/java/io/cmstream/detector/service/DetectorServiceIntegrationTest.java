package io.cmstream.detector.service;

import static io.cmstream.detector.replay.ReplayComparison.assertEachOnce;
import static io.cmstream.detector.replay.ReplayComparison.assertSameAs;
import static io.cmstream.detector.replay.ReplayComparison.replay;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.replay.SyntheticClips;
import io.cmstream.schemas.DeadLetter;
import io.cmstream.schemas.DlqReason;
import io.cmstream.schemas.Topics;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The detector on a real in-process KRaft cluster: detections read with read_committed equal
 * replay's; and after the application is killed (SIGKILL of a child JVM, no shutdown at all) and
 * restarted, every (stream, second) is there exactly once with the uninterrupted scores.
 */
class DetectorServiceIntegrationTest {

  @RegisterExtension static final ClusterFixture cluster = new ClusterFixture(11);

  private static List<ClipRecord> clips(int streams, int seconds) {
    SyntheticClips synth = new SyntheticClips(4, 48, 32, 2);
    List<ClipRecord> out = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      for (int v = 0; v < streams; v++) {
        out.add(synth.clip("video-" + v, 900 + s + v, s == seconds - 1));
      }
    }
    return out;
  }

  @Test
  void shouldEmitTheSameDetectionsAsReplayForSeveralStreams() throws Exception {
    Topics topics = Topics.named("t1.clips", "t1.detections", "t1.dlq");
    cluster.createTopics(Map.of("t1.clips", 2, "t1.detections", 2, "t1.dlq", 1));
    List<ClipRecord> clips = clips(3, 8);
    cluster.produce("t1.clips", clips);
    cluster.produceRaw(
        "t1.clips",
        "video-0".getBytes(StandardCharsets.UTF_8),
        "not a clip".getBytes(StandardCharsets.UTF_8));
    DetectorConfig config = cluster.config(topics);
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detector-it-1");
    props.put(StreamsConfig.STATE_DIR_CONFIG, cluster.temp().resolve("state-1").toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
    List<DetectionRecord> got = new ArrayList<>();
    try (DetectorService service = new DetectorService(config, props, 0);
        KafkaConsumer<byte[], byte[]> reader = cluster.committedReader("t1.detections");
        KafkaConsumer<byte[], byte[]> dlq = cluster.committedReader("t1.dlq")) {
      service.start();
      ClusterFixture.pollDetections(reader, got, clips.size(), Duration.ofSeconds(400));
      assertEquals(clips.size(), got.size(), "detections read_committed");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + service.httpPort() + "/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), health.body());
      assertTrue(health.body().contains("RUNNING"), health.body());
      String metrics =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + service.httpPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(metrics.contains("cm_detector_detections_out_total 24.0"), metrics);
      assertTrue(metrics.contains("cm_detector_dlq_total{reason=\"UNDECODABLE\"} 1.0"), metrics);
      List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (letters.isEmpty() && System.nanoTime() < deadline) {
        dlq.poll(Duration.ofMillis(200)).forEach(letters::add);
      }
      assertEquals(1, letters.size());
      assertEquals(
          DlqReason.UNDECODABLE, DeadLetter.fromHeaders(letters.get(0).headers()).reason());
      assertArrayEquals("not a clip".getBytes(StandardCharsets.UTF_8), letters.get(0).value());
    }
    assertSameAs(replay(config, clips), got);
  }

  @Test
  void shouldEmitEverySecondExactlyOnceWithUnchangedScoresAfterAKill() throws Exception {
    Topics topics = Topics.named("t2.clips", "t2.detections", "t2.dlq");
    cluster.createTopics(Map.of("t2.clips", 2, "t2.detections", 2, "t2.dlq", 1));
    List<ClipRecord> clips = clips(3, 40);
    cluster.produce("t2.clips", clips);
    Path state = cluster.temp().resolve("state-2");
    List<DetectionRecord> got = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> reader = cluster.committedReader("t2.detections")) {
      DetectorProcess first = detectorProcess(state, cluster.temp().resolve("first.log"));
      try {
        ClusterFixture.pollDetections(reader, got, 15, Duration.ofSeconds(400));
        assertTrue(
            got.size() >= 15 && got.size() < clips.size(), "killed mid-stream after " + got.size());
      } finally {
        first.kill(); // SIGKILL: no close, no commit, transaction left open
      }
      int beforeKill = got.size();
      DetectorProcess second = detectorProcess(state, cluster.temp().resolve("second.log"));
      try {
        ClusterFixture.pollDetections(reader, got, clips.size(), Duration.ofSeconds(500));
        // anything duplicated would arrive right behind: keep reading a little longer
        ClusterFixture.pollDetections(reader, got, clips.size() + 1, Duration.ofSeconds(3));
      } finally {
        second.close();
      }
      assertTrue(got.size() > beforeKill, "the restarted application made progress");
      System.out.printf(
          "crash test: %d detections committed before SIGKILL, %d in total after the restart%n",
          beforeKill, got.size());
    }
    assertEachOnce(got);
    assertSameAs(replay(cluster.config(topics), clips), got);
  }

  /**
   * Batching on, killed while the committed encode queue holds a partly filled batch: the restarted
   * application restores the queue from its changelog, decodes those clips again and every (stream,
   * second) is there exactly once with the scores of clip-by-clip replay.
   */
  @Test
  void shouldLoseAndDuplicateNothingWhenKilledWithAPartlyFilledBatch() throws Exception {
    Topics topics = Topics.named("t3.clips", "t3.detections", "t3.dlq");
    cluster.createTopics(Map.of("t3.clips", 1, "t3.detections", 1, "t3.dlq", 1));
    List<ClipRecord> clips = clips(3, 12);
    int first = 30; // batches of 4: two clips stay queued
    cluster.produce("t3.clips", clips.subList(0, first));
    Path state = cluster.temp().resolve("state-3");
    List<DetectionRecord> got = new ArrayList<>();
    Map<Long, Boolean> queue = new HashMap<>();
    int queuedEver = 0;
    try (KafkaConsumer<byte[], byte[]> reader = cluster.committedReader("t3.detections")) {
      DetectorProcess one =
          detectorProcess(
              state,
              cluster.temp().resolve("batch-first.log"),
              "detector-it-3",
              topics,
              List.of("--batch", "4", "--batch-wait", "600"));
      try {
        ClusterFixture.pollDetections(reader, got, 1, Duration.ofSeconds(400));
        assertTrue(got.size() >= 1, "the first instance emits");
        try (KafkaConsumer<byte[], byte[]> changelog =
            cluster.committedReader("detector-it-3-encode-queue-changelog")) {
          long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
          while ((queuedEver < first || queue.size() != 2) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : changelog.poll(Duration.ofMillis(200))) {
              long seq = java.nio.ByteBuffer.wrap(r.key()).getLong();
              if (r.value() == null) {
                queue.remove(seq);
              } else {
                queue.put(seq, true);
                queuedEver++;
              }
            }
          }
        }
      } finally {
        one.kill(); // SIGKILL with two clips in the committed queue
      }
      assertEquals(first, queuedEver, "every clip of the first part was queued and committed");
      assertEquals(
          2, queue.size(), "a partly filled batch was committed when the instance was killed");
      int beforeKill =
          ClusterFixture.pollDetections(reader, got, clips.size(), Duration.ofSeconds(2)).size();
      cluster.produce("t3.clips", clips.subList(first, clips.size()));
      DetectorProcess two =
          detectorProcess(
              state,
              cluster.temp().resolve("batch-second.log"),
              "detector-it-3",
              topics,
              List.of("--batch", "4", "--batch-wait", "0.2"));
      try {
        ClusterFixture.pollDetections(reader, got, clips.size(), Duration.ofSeconds(400));
        ClusterFixture.pollDetections(reader, got, clips.size() + 1, Duration.ofSeconds(3));
      } finally {
        two.close();
      }
      System.out.printf(
          "batch crash test: %d detections committed before SIGKILL (2 clips queued), %d in total%n",
          beforeKill, got.size());
    }
    assertEachOnce(got);
    assertSameAs(replay(cluster.config(topics), clips), got);
  }

  private DetectorProcess detectorProcess(Path state, Path log) throws Exception {
    return detectorProcess(
        state,
        log,
        "detector-it-2",
        Topics.named("t2.clips", "t2.detections", "t2.dlq"),
        List.of());
  }

  /** {@code detector run} in a child JVM with short session and transaction timeouts. */
  private DetectorProcess detectorProcess(
      Path state, Path log, String applicationId, Topics topics, List<String> extra)
      throws Exception {
    Path config = cluster.temp().resolve("streams-" + log.getFileName() + ".properties");
    Files.writeString(
        config,
        "consumer.session.timeout.ms=6000\nconsumer.heartbeat.interval.ms=1000\nproducer.transaction.timeout.ms=10000\n");
    List<String> args = new ArrayList<>(cluster.detectorArgs(applicationId, topics));
    args.addAll(List.of("--state-dir", state.toString()));
    args.addAll(extra);
    args.addAll(List.of("--config", config.toString()));
    return DetectorProcess.start(args, Map.of(), log);
  }
}
