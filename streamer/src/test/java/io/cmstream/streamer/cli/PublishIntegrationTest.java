package io.cmstream.streamer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.cli.Cli;
import io.cmstream.kafka.EmbeddedKafkaExtension;
import io.cmstream.schemas.Topics;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.streamer.video.TestPatternVideo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code streamer publish} against a real in-process KRaft broker; the records are read back. */
class PublishIntegrationTest {
  @RegisterExtension
  static final EmbeddedKafkaExtension cluster = EmbeddedKafkaExtension.plaintext();

  private static final Topics TOPICS = Topics.defaults();

  @TempDir Path dir;

  private static void createTopic(String name, Map<String, String> configs) {
    cluster.broker().createTopics(Map.of(name, 1), configs);
  }

  private static List<ConsumerRecord<String, ClipRecord>> readAll(String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, ClipRecord>> out = new ArrayList<>();
    try (KafkaConsumer<String, ClipRecord> c =
        new KafkaConsumer<>(
            p,
            TOPICS.clips().keySerde().deserializer(),
            TOPICS.clips().valueSerde().deserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      // nothing expected: a few seconds of silence are enough
      long deadline = System.currentTimeMillis() + (expected > 0 ? 15_000 : 3_000);
      while (System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(300)).forEach(out::add);
        if (expected > 0 && out.size() >= expected) {
          // keep polling briefly: nothing more may arrive
          c.poll(Duration.ofMillis(500)).forEach(out::add);
          break;
        }
      }
    }
    return out;
  }

  private static int publish(StringWriter err, String... args) {
    CommandLine cl = Cli.configure(new CommandLine(new StreamerCli()));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void shouldPublishOneRecordPerSecondKeyedByStreamIdAndEndTheStream() throws Exception {
    Path video = dir.resolve("cam.avi");
    TestPatternVideo.write(video, 160, 120, 25, TestPatternVideo.constantTimes(100, 25)); // 4 s
    createTopic("clips-a", Map.of());
    StringWriter err = new StringWriter();
    int exit =
        publish(
            err,
            "publish",
            "--input",
            video.toString(),
            "--stream-id",
            "cam-1",
            "--bootstrap-servers",
            cluster.bootstrapServers(),
            "--topic",
            "clips-a",
            "--frames",
            "4",
            "--stride",
            "4",
            "--short-side",
            "96",
            "--hog-upscale",
            "1",
            "--no-progress");
    assertEquals(0, exit, err.toString());
    List<ConsumerRecord<String, ClipRecord>> records = readAll("clips-a", 5);
    assertEquals(5, records.size(), "four clips, then the last one again flagged end-of-stream");
    for (int s = 0; s < 5; s++) {
      ConsumerRecord<String, ClipRecord> r = records.get(s);
      assertEquals("cam-1", r.key());
      assertEquals("cam-1", r.value().getStreamId());
      int second = Math.min(s, 3);
      assertEquals(second, r.value().getSecond());
      assertEquals(second * 1000L, r.value().getMediaTimeMs());
      assertEquals(0, r.value().getSentFromSecond());
      assertEquals(4, r.value().getFrames().size());
      assertEquals(30.0, r.value().getFps());
      assertEquals(96, r.value().getHeight());
      assertEquals(s == 4, r.value().getEndOfStream());
      assertTrue(r.value().getBoxes().isEmpty(), "a test pattern has no people");
    }
    assertTrue(err.toString().contains("4 clips written (0 skipped)"), err.toString());
  }

  @Test
  void shouldSkipClipsTooBigForTheTopicWithoutStopping() throws Exception {
    Path video = dir.resolve("big.avi");
    TestPatternVideo.write(video, 320, 240, 30, TestPatternVideo.constantTimes(90, 30)); // 3 s
    // the broker takes at most 4 kB per message; the producer would send 1 MB
    createTopic("clips-small", Map.of("max.message.bytes", "4096"));
    StringWriter err = new StringWriter();
    int exit =
        publish(
            err,
            "publish",
            "--input",
            video.toString(),
            "--stream-id",
            "cam-2",
            "--bootstrap-servers",
            cluster.bootstrapServers(),
            "--topic",
            "clips-small",
            "--frames",
            "8",
            "--stride",
            "4",
            "--jpeg-short-side",
            "0",
            "--jpeg-quality",
            "100",
            "--hog-upscale",
            "1",
            "--no-progress");
    assertEquals(0, exit, err.toString());
    assertTrue(err.toString().contains("0 clips written (3 skipped)"), err.toString());
    assertTrue(readAll("clips-small", 0).isEmpty());

    // and the producer's own limit is checked before sending
    Path config = dir.resolve("producer.properties");
    Files.writeString(config, "max.request.size=4096\ncompression.type=zstd\n");
    createTopic("clips-b", Map.of());
    StringWriter err2 = new StringWriter();
    exit =
        publish(
            err2,
            "publish",
            "--input",
            video.toString(),
            "--stream-id",
            "cam-2",
            "--bootstrap-servers",
            cluster.bootstrapServers(),
            "--topic",
            "clips-b",
            "--config",
            config.toString(),
            "--jpeg-short-side",
            "0",
            "--jpeg-quality",
            "100",
            "--hog-upscale",
            "1",
            "--no-progress");
    assertEquals(0, exit, err2.toString());
    assertTrue(err2.toString().contains("0 clips written (3 skipped)"), err2.toString());
  }

  @Test
  void shouldFailClearlyWhenKafkaIsUnreachable() throws Exception {
    Path video = dir.resolve("c.avi");
    TestPatternVideo.write(video, 160, 120, 30, TestPatternVideo.constantTimes(40, 30));
    Path config = dir.resolve("fast.properties");
    Files.writeString(config, "max.block.ms=2000\n");
    StringWriter err = new StringWriter();
    int exit =
        publish(
            err,
            "publish",
            "--input",
            video.toString(),
            "--stream-id",
            "x",
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--config",
            config.toString(),
            "--hog-upscale",
            "1",
            "--no-progress");
    assertEquals(1, exit, err.toString());
    assertTrue(err.toString().contains("publish: error:"), err.toString());
  }
}
