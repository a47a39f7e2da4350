package io.cmstream.detector.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why the contributions are not in a Kafka Streams WindowStore: its retention runs on the store's
 * observed stream time, the newest window start put by ANY key of the task. Streams at different
 * media seconds share a task (a partition holds many streams), so a stream at second 1000 expires
 * the seconds of a stream that just started. The detector's contribution store prunes per stream
 * instead (see {@link WindowPolicy#lowestNeeded}).
 */
class WindowStoreRetentionTest {

  @TempDir Path stateDir;

  @Test
  void windowStoreShouldDropASecondOfAStreamBehindAnotherStreamOfTheSameTask() throws Exception {
    Topology topology = new Topology();
    topology.addSource(
        "in", Serdes.String().deserializer(), Serdes.Integer().deserializer(), "seconds");
    topology.addProcessor(
        "put",
        () ->
            new Processor<String, Integer, Void, Void>() {
              private WindowStore<String, Integer> store;

              @Override
              public void init(ProcessorContext<Void, Void> context) {
                store = context.getStateStore("contributions");
              }

              @Override
              public void process(Record<String, Integer> record) {
                store.put(
                    record.key(),
                    record.value(),
                    record.value() * 1000L); // one-second windows by media second
              }
            },
        "in");
    // retention = a 5-second memory window
    topology.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                "contributions", Duration.ofSeconds(5), Duration.ofSeconds(1), false),
            Serdes.String(),
            Serdes.Integer()),
        "put");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "retention");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(
        StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir.resolve("s")).toString());
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      var in = driver.createInputTopic("seconds", new StringSerializer(), new IntegerSerializer());
      in.pipeInput("long-video", 1000);
      in.pipeInput("new-video", 5);
      WindowStore<String, Integer> store = driver.getWindowStore("contributions");
      assertEquals(1000, store.fetch("long-video", 1_000_000L));
      assertNull(
          store.fetch("new-video", 5_000L), "the new stream's second was dropped as expired");
    }
  }
}
