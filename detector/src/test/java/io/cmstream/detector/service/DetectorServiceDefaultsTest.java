package io.cmstream.detector.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class DetectorServiceDefaultsTest {

  private static final String PRODUCER_BACKOFF = StreamsConfig.producerPrefix("retry.backoff.ms");

  @Test
  void shouldGiveTheProducerAShortFirstRetryBackoffThatAGivenSettingOverrides() {
    Properties defaults = DetectorService.withDefaults(new Properties());
    assertEquals("10", defaults.get(PRODUCER_BACKOFF));
    assertEquals(
        StreamsConfig.EXACTLY_ONCE_V2, defaults.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    assertEquals(
        String.valueOf(DetectorService.COMMIT_INTERVAL_MS),
        defaults.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));

    Properties given = new Properties();
    given.put(PRODUCER_BACKOFF, "100");
    assertEquals("100", DetectorService.withDefaults(given).get(PRODUCER_BACKOFF));
  }
}
