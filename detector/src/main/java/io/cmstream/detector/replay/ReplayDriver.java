package io.cmstream.detector.replay;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.InferencePool;
import io.cmstream.detector.state.PendingClip;
import io.cmstream.detector.state.StateSerdes;
import io.cmstream.detector.state.StreamProgress;
import io.cmstream.detector.state.StreamSecond;
import io.cmstream.detector.topology.DetectorTopology;
import io.cmstream.runtime.MemoryContribution;
import io.cmstream.schemas.AvroSerdes;
import io.cmstream.schemas.AvroSingleObjectSerde;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The detector topology in Kafka Streams' TopologyTestDriver: no broker, one thread, mocked wall
 * clock, deterministic. Used by {@code detector replay}, the bench and the topology tests. State
 * lives in a temporary folder that {@link #close()} removes.
 */
public final class ReplayDriver implements AutoCloseable {

  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

  private final InferencePool pool;
  private final DetectorConfig config;
  private final Path stateDir;
  private final TopologyTestDriver driver;
  private final TestInputTopic<byte[], byte[]> clips;
  private final TestOutputTopic<String, DetectionRecord> detections;
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private final AvroSingleObjectSerde<ClipRecord> clipSerde = AvroSerdes.clipRecord();

  /** A driver on RocksDB stores, as the service runs. */
  public ReplayDriver(DetectorConfig config, DetectorMetrics metrics) {
    this(config, metrics, DetectorTopology.Stores.PERSISTENT);
  }

  public ReplayDriver(
      DetectorConfig config, DetectorMetrics metrics, DetectorTopology.Stores stores) {
    this.config = config;
    this.pool = new InferencePool(config.model().inference());
    try {
      stateDir = Files.createTempDirectory("cm-detector-replay-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a state folder", e);
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cm-detector-replay");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver =
        new TopologyTestDriver(DetectorTopology.build(config, pool, metrics, stores), props, START);
    clips =
        driver.createInputTopic(
            config.topics().clips().name(), new ByteArraySerializer(), new ByteArraySerializer());
    detections =
        driver.createOutputTopic(
            config.topics().detections().name(),
            Serdes.String().deserializer(),
            config.topics().detections().valueSerde().deserializer());
    deadLetters =
        driver.createOutputTopic(
            config.topics().clipsDlq().name(),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
  }

  /** Pipes one clip record (key = its stream id) with a record timestamp. */
  public void pipe(ClipRecord clip, long timestampMs) {
    pipeRaw(
        clip.getStreamId().toString().getBytes(StandardCharsets.UTF_8),
        clipSerde.encode(clip),
        new RecordHeaders(),
        timestampMs);
  }

  /** Pipes raw bytes as they would arrive on the clips topic. */
  public void pipeRaw(byte[] key, byte[] value, Headers headers, long timestampMs) {
    clips.pipeInput(new TestRecord<>(key, value, headers, timestampMs));
  }

  /** Advances the mocked wall clock (fires the timeout punctuation). */
  public void advanceWallClock(Duration d) {
    driver.advanceWallClockTime(d);
  }

  /**
   * The end of the input: the wall clock moves past the batch wait (a partly filled encode batch is
   * encoded), then past the timeout (pending seconds without an end of stream are emitted).
   */
  public void endOfInput() {
    if (config.batch().queued()) {
      driver.advanceWallClockTime(config.batch().maxWait());
    }
    driver.advanceWallClockTime(config.timeout().plusSeconds(1));
  }

  /** Detection records emitted since the last call. */
  public List<DetectionRecord> detections() {
    return detections.readValuesToList();
  }

  /** Dead-letter records emitted since the last call, with their headers. */
  public List<TestRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.readRecordsToList();
  }

  /**
   * Bytes of state a stream holds right now: the serialized keys and values of its entries in the
   * contribution, pending and progress stores (what the changelog topics carry for it).
   */
  public long stateBytes(String stream) {
    long bytes = 0;
    KeyValueStore<StreamSecond, MemoryContribution> contributions =
        driver.getKeyValueStore(DetectorTopology.CONTRIBUTIONS);
    try (KeyValueIterator<StreamSecond, MemoryContribution> it =
        contributions.range(StreamSecond.lowest(stream), StreamSecond.highest(stream))) {
      while (it.hasNext()) {
        KeyValue<StreamSecond, MemoryContribution> e = it.next();
        bytes += e.key.toBytes().length + e.value.toBytes().length;
      }
    }
    KeyValueStore<StreamSecond, PendingClip> pending =
        driver.getKeyValueStore(DetectorTopology.PENDING);
    try (KeyValueIterator<StreamSecond, PendingClip> it =
        pending.range(StreamSecond.lowest(stream), StreamSecond.highest(stream))) {
      while (it.hasNext()) {
        KeyValue<StreamSecond, PendingClip> e = it.next();
        bytes += e.key.toBytes().length + e.value.toBytes().length;
      }
    }
    KeyValueStore<String, StreamProgress> progress =
        driver.getKeyValueStore(DetectorTopology.PROGRESS);
    StreamProgress p = progress.get(stream);
    if (p != null) {
      bytes +=
          stream.getBytes(StandardCharsets.UTF_8).length
              + StateSerdes.progress().serializer().serialize("", p).length;
    }
    return bytes;
  }

  /** Number of entries in one of the topology's stores (all streams). */
  public long storeEntries(String store) {
    long n = 0;
    KeyValueStore<Object, Object> kv = driver.getKeyValueStore(store);
    try (KeyValueIterator<Object, Object> it = kv.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    try {
      driver.close();
    } finally {
      pool.close();
      deleteQuietly(stateDir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: a temp folder left behind is not worth failing a run for
    }
  }
}
