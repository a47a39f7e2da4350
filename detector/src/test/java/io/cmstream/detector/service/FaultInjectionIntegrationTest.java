package io.cmstream.detector.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.replay.SyntheticClips;
import io.cmstream.schemas.AvroSerdes;
import io.cmstream.schemas.DeadLetter;
import io.cmstream.schemas.DeadLetterBound;
import io.cmstream.schemas.DlqReason;
import io.cmstream.schemas.Topics;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import io.cmstream.schemas.avro.PersonBox;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.DeserializationHandlerResponse;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.ProcessingHandlerResponse;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.ProductionExceptionHandlerResponse;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Poison records on a real in-process KRaft broker: a good stream flows while every bad input of
 * the list is produced between its seconds. At the end the service is still running, the good
 * stream has every second exactly once (read_committed), every poison record is in the DLQ with its
 * reason (records over the DLQ's limit as a bounded prefix with size and sha256), and the
 * application's committed offsets are past all of them, so a restart does not meet them again.
 */
class FaultInjectionIntegrationTest {

  private static final int DLQ_LIMIT = 300_000;
  private static final String GOOD = "good";
  private static final int SECONDS = 12;
  @RegisterExtension static final ClusterFixture cluster = new ClusterFixture(5);

  /** One bad input: its key (stream id), value and the reason the DLQ must give. */
  private record Poison(String key, byte[] value, DlqReason reason) {}

  @Test
  void shouldDeadLetterEveryPoisonRecordAndKeepTheGoodStreamFlowing() throws Exception {
    Topics topics = Topics.named("f.clips", "f.detections", "f.dlq");
    cluster.createTopics(Map.of("f.clips", 2, "f.detections", 2, "f.dlq", 1));
    limitTopic("f.dlq", DLQ_LIMIT);
    SyntheticClips synth = new SyntheticClips(4, 48, 32, 2);
    List<Poison> poisons = poisons(synth);

    for (int s = 0; s < SECONDS / 2; s++) {
      cluster.produce("f.clips", List.of(synth.clip(GOOD, s, false)));
    }
    for (Poison p : poisons) {
      cluster.produceRaw("f.clips", p.key().getBytes(StandardCharsets.UTF_8), p.value());
    }
    List<ClipRecord> rest = new ArrayList<>();
    for (int s = SECONDS / 2; s < SECONDS; s++) {
      rest.add(synth.clip(GOOD, s, s == SECONDS - 1));
    }
    cluster.produce("f.clips", rest);

    DetectorConfig config = cluster.config(topics);
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detector-fault-it");
    props.put(StreamsConfig.STATE_DIR_CONFIG, cluster.temp().resolve("state").toString());
    List<DetectionRecord> got = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
    try (DetectorService service = new DetectorService(config, props, -1);
        KafkaConsumer<byte[], byte[]> reader = cluster.committedReader("f.detections");
        KafkaConsumer<byte[], byte[]> dlq = cluster.committedReader("f.dlq")) {
      service.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while ((got.size() < SECONDS || letters.size() < poisons.size())
          && System.nanoTime() < deadline) {
        ClusterFixture.pollDetections(reader, got, got.size() + 1, Duration.ofMillis(200));
        dlq.poll(Duration.ofMillis(200)).forEach(letters::add);
      }
      // anything duplicated would arrive right behind: keep reading a little longer
      ClusterFixture.pollDetections(reader, got, SECONDS + 1, Duration.ofSeconds(2));
      dlq.poll(Duration.ofSeconds(1)).forEach(letters::add);
      assertEquals(KafkaStreams.State.RUNNING, service.state(), "the service is still running");
      assertCommittedToTheEnd("detector-fault-it", "f.clips");
    }

    List<Integer> seconds =
        got.stream()
            .filter(d -> d.getStreamId().toString().equals(GOOD))
            .map(DetectionRecord::getSecond)
            .sorted()
            .toList();
    assertEquals(
        java.util.stream.IntStream.range(0, SECONDS).boxed().toList(),
        seconds,
        "every second of the good stream exactly once");
    assertEquals(SECONDS, got.size(), "no detection for any poison record");

    Map<String, DlqReason> expected = new TreeMap<>();
    poisons.forEach(p -> expected.put(p.key(), p.reason()));
    Map<String, DlqReason> actual = new TreeMap<>();
    Map<String, String> details = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : letters) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      DeadLetter letter = DeadLetter.fromHeaders(r.headers());
      assertEquals(
          null, actual.put(key, letter.reason()), "one dead letter per poison record: " + key);
      details.put(key, letter.reason() + ": " + letter.detail());
      assertTrue(DeadLetterBound.sizeOf(r.key(), r.value(), r.headers()) <= DLQ_LIMIT, key);
      Poison p = poisons.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
      if (r.headers().lastHeader(DeadLetterBound.ORIGINAL_SIZE) == null) {
        assertArrayEquals(p.value(), r.value(), "whole original of " + key);
      } else {
        assertOriginalPrefix(p.value(), r);
      }
    }
    details.forEach((k, v) -> System.out.printf("fault injection: %-12s -> %s%n", k, v));
    assertEquals(expected, actual);
    assertNotNull(
        letters.stream()
            .filter(r -> new String(r.key(), StandardCharsets.UTF_8).startsWith("p-huge"))
            .findFirst()
            .orElseThrow()
            .headers()
            .lastHeader(DeadLetterBound.ORIGINAL_SHA256),
        "bounded with sha256");
  }

  @Test
  void shouldDeadLetterWhatReachesTheStreamsHandlersAndFailOnStreamsOwnErrors() throws Exception {
    cluster.createTopics(Map.of("h.dlq", 1));
    Map<String, Object> configs = new HashMap<>();
    configs.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    configs.put(StreamsConfig.APPLICATION_ID_CONFIG, "handler-it");
    configs.put(DeadLetterHandler.TOPIC_CONFIG, "h.dlq");
    configs.put(DeadLetterBound.CONFIG, "20000");
    DeadLetterHandler handler = new DeadLetterHandler();
    handler.configure(configs);
    byte[] value = new byte[50_000];
    new Random(3).nextBytes(value);
    ErrorHandlerContext context = context("cam-9".getBytes(StandardCharsets.UTF_8), value);

    assertEquals(
        ProcessingHandlerResponse.FAIL,
        handler.handle(
            context, new Record<>("k", "v", 0L), new ProcessorStateException("disk full")));
    assertEquals(
        ProcessingHandlerResponse.CONTINUE,
        handler.handle(context, new Record<>("k", "v", 0L), new IllegalStateException("boom")));
    assertEquals(
        ProductionExceptionHandlerResponse.CONTINUE,
        handler.handle(
            context,
            new ProducerRecord<>("out", new byte[1], new byte[1]),
            new RecordTooLargeException("too large")));
    assertEquals(
        DeserializationHandlerResponse.CONTINUE,
        handler.handle(
            context,
            new ConsumerRecord<>("src", 1, 7L, "cam-9".getBytes(StandardCharsets.UTF_8), value),
            new SerializationException("bad")));

    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> dlq = cluster.committedReader("h.dlq")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (letters.size() < 3 && System.nanoTime() < deadline) {
        dlq.poll(Duration.ofMillis(200)).forEach(letters::add);
      }
    }
    assertEquals(3, letters.size());
    List<String> expected =
        List.of(
            "PROCESSING_FAILED src@41 boom",
            "PROCESSING_FAILED src@41 too large",
            "UNDECODABLE src@7 bad");
    for (int i = 0; i < 3; i++) {
      DeadLetter letter = DeadLetter.fromHeaders(letters.get(i).headers());
      String[] e = expected.get(i).split(" ");
      assertEquals(DlqReason.valueOf(e[0]), letter.reason());
      assertEquals(e[1], letter.topic() + "@" + letter.offset());
      assertTrue(letter.detail().contains(e[2]), letter.detail());
      assertArrayEquals("cam-9".getBytes(StandardCharsets.UTF_8), letters.get(i).key());
      assertOriginalPrefix(value, letters.get(i));
    }
  }

  private static void assertOriginalPrefix(byte[] original, ConsumerRecord<byte[], byte[]> r)
      throws Exception {
    Headers h = r.headers();
    assertEquals(Integer.toString(original.length), text(h, DeadLetterBound.ORIGINAL_SIZE));
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original)),
        text(h, DeadLetterBound.ORIGINAL_SHA256));
    assertTrue(
        r.value().length > 0 && r.value().length < original.length,
        "a prefix: " + r.value().length);
    assertArrayEquals(Arrays.copyOf(original, r.value().length), r.value());
  }

  private static String text(Headers h, String key) {
    return new String(h.lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  /** Every bad input of the list, each under its own key (the good stream's for the jump). */
  private static List<Poison> poisons(SyntheticClips synth) {
    List<Poison> out = new ArrayList<>();
    out.add(
        new Poison(
            "p-min",
            encode(synth.clip("p-min", Integer.MIN_VALUE, false)),
            DlqReason.INVALID_SECOND));
    out.add(
        new Poison(
            "p-max",
            encode(synth.clip("p-max", Integer.MAX_VALUE - 1, false)),
            DlqReason.INVALID_SECOND));
    out.add(
        new Poison(
            "p-top",
            encode(synth.clip("p-top", Integer.MAX_VALUE, false)),
            DlqReason.INVALID_SECOND));
    out.add(
        new Poison(GOOD, encode(synth.clip(GOOD, 1_000_000_000, false)), DlqReason.FORWARD_JUMP));
    // fits f.clips (1 MB) and the DLQ's 300 000 bytes on its own, but not with the dead-letter
    // headers
    out.add(new Poison("p-near", random(DLQ_LIMIT - 200, 1), DlqReason.UNDECODABLE));
    out.add(
        new Poison(
            "p-huge", random(900_000, 2), DlqReason.UNDECODABLE)); // larger than the DLQ's limit
    ClipRecord truncated = synth.clip("p-jpeg", 3, false);
    List<ByteBuffer> frames = new ArrayList<>(truncated.getFrames());
    ByteBuffer f = frames.get(1);
    frames.set(1, ByteBuffer.wrap(Arrays.copyOf(f.array(), f.remaining() / 2)));
    truncated.setFrames(frames);
    out.add(new Poison("p-jpeg", encode(truncated), DlqReason.CORRUPT_JPEG));
    byte[] good = encode(synth.clip("p-trailing", 3, false));
    out.add(new Poison("p-trailing", Arrays.copyOf(good, good.length + 5), DlqReason.UNDECODABLE));
    ClipRecord flat = synth.clip("p-box", 3, false);
    flat.setBoxes(List.of(new PersonBox(0.2f, 0.3f, 0.2f, 0.8f, 0.9f)));
    out.add(new Poison("p-box", encode(flat), DlqReason.INVALID_BOXES));
    return out;
  }

  private static byte[] encode(ClipRecord clip) {
    return AvroSerdes.clipRecord().encode(clip);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void limitTopic(String topic, int maxMessageBytes) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      admin
          .incrementalAlterConfigs(
              Map.of(
                  r,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("max.message.bytes", Integer.toString(maxMessageBytes)),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!Integer.toString(maxMessageBytes)
          .equals(
              admin
                  .describeConfigs(List.of(r))
                  .all()
                  .get()
                  .get(r)
                  .get("max.message.bytes")
                  .value())) {
        assertTrue(System.nanoTime() < deadline, "max.message.bytes of " + topic + " not applied");
        Thread.sleep(100);
      }
    }
  }

  /**
   * The application's committed offsets reach the end of every partition: no record is left to
   * retry.
   */
  private static void assertCommittedToTheEnd(String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(
              partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
          .all()
          .get()
          .forEach((p, info) -> ends.put(p, info.offset()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Map<TopicPartition, Long> committed = new HashMap<>();
      while (!committed.equals(ends) && System.nanoTime() < deadline) {
        committed.clear();
        Map<TopicPartition, OffsetAndMetadata> offsets =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        offsets.forEach(
            (p, o) -> {
              if (o != null) {
                committed.put(p, o.offset());
              }
            });
        Thread.sleep(200);
      }
      assertEquals(ends, committed, "committed offsets of " + group);
    }
  }

  private static ErrorHandlerContext context(byte[] key, byte[] value) {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return "src";
      }

      @Override
      public int partition() {
        return 0;
      }

      @Override
      public long offset() {
        return 41L;
      }

      @Override
      public Headers headers() {
        return new RecordHeaders();
      }

      @Override
      public String processorNodeId() {
        return "memory";
      }

      @Override
      public TaskId taskId() {
        return new TaskId(0, 0);
      }

      @Override
      public long timestamp() {
        return 1_000L;
      }

      @Override
      public byte[] sourceRawKey() {
        return key;
      }

      @Override
      public byte[] sourceRawValue() {
        return value;
      }
    };
  }
}
