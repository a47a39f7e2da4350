package io.cmstream.streamer.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClipPublisherTest {

  @Test
  void shouldBeIdempotentWithAcksAllAndCompressByDefault() {
    Properties p = KafkaClipPublisher.producerConfig("k:9092", "cam-1", new Properties());
    assertEquals("true", p.getProperty("enable.idempotence"));
    assertEquals("all", p.getProperty("acks"));
    assertEquals("lz4", p.getProperty("compression.type"));
    assertEquals("k:9092", p.getProperty("bootstrap.servers"));
    assertEquals("cm-streamer-cam-1", p.getProperty("client.id"));
  }

  @Test
  void shouldTakeTheUsersSettingsButNeverGiveUpIdempotenceOrAcksAll() {
    Properties user = new Properties();
    user.setProperty("compression.type", "zstd");
    user.setProperty("max.request.size", "4000000");
    user.setProperty("acks", "1");
    user.setProperty("enable.idempotence", "false");
    Properties p = KafkaClipPublisher.producerConfig("k:9092", "cam-1", user);
    assertEquals("zstd", p.getProperty("compression.type"));
    assertEquals("4000000", p.getProperty("max.request.size"));
    assertEquals("all", p.getProperty("acks"));
    assertEquals("true", p.getProperty("enable.idempotence"));
  }
}
