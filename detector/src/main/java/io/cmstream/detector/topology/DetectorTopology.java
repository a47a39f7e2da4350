package io.cmstream.detector.topology;

import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.InferencePool;
import io.cmstream.detector.state.StateSerdes;
import io.cmstream.schemas.AvroSerdes;
import io.cmstream.schemas.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

/**
 * The detector's Processor API topology:
 *
 * <pre>
 *   cm.clips (bytes) -> validate (Avro decode, policy, JPEG -> tensor) -> encode (encoder.onnx)
 *     -> memory (contributions / pending / progress stores; context_head.onnx) -> cm.detections
 *   validate, encode, memory -> cm.clips.dlq (original bytes + dead-letter headers)
 * </pre>
 *
 * All three stores are persistent (RocksDB) and changelogged; everything is partitioned by the
 * stream id (the record key), so one stream's state lives in one task.
 */
public final class DetectorTopology {

  public static final String SOURCE = "clips";
  public static final String VALIDATE = "validate";
  public static final String ENCODE = "encode";
  public static final String MEMORY = "memory";
  public static final String DETECTIONS_SINK = "detections";
  public static final String DLQ_SINK = "dead-letters";

  /** Contribution (C'xC' matrix + weight) per (stream, second). */
  public static final String CONTRIBUTIONS = "contributions";

  /** Encoded clips waiting for their window, per (stream, second). */
  public static final String PENDING = "pending-clips";

  /**
   * Validated clips waiting for a batch of the encoder (only with batching on): sequence -> clip.
   */
  public static final String ENCODE_QUEUE = "encode-queue";

  /** Newest second, pruning cursor and end-of-stream flag per stream. */
  public static final String PROGRESS = "stream-progress";

  private DetectorTopology() {}

  /** Where the stores keep their data; both are changelogged. */
  public enum Stores {
    /** RocksDB: the service (state larger than memory, fast restarts from local state). */
    PERSISTENT,
    /** Heap: replay and benchmarks (nothing to keep after the run; no RocksDB flush per commit). */
    IN_MEMORY
  }

  /**
   * Builds the topology on RocksDB stores; the pool supplies each stream thread's ONNX sessions.
   */
  public static Topology build(DetectorConfig config, InferencePool pool, DetectorMetrics metrics) {
    return build(config, pool, metrics, Stores.PERSISTENT);
  }

  /** Builds the topology with the given kind of stores (the processing is the same). */
  public static Topology build(
      DetectorConfig config, InferencePool pool, DetectorMetrics metrics, Stores stores) {
    Topics topics = config.topics();
    ClipPipeline pipeline = new ClipPipeline(config.model().clipSpec());
    ClipValidator validator = new ClipValidator(config.frames());
    RecordPathWarmUp warmUp =
        new RecordPathWarmUp(
            AvroSerdes.clipRecord(), validator, pipeline, pool, config.batch().size());
    Topology topology = new Topology();
    topology.addSource(
        SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.clips().name());
    topology.addProcessor(
        VALIDATE,
        () -> new ValidateProcessor(AvroSerdes.clipRecord(), validator, pipeline, metrics),
        SOURCE);
    if (config.batch().queued()) {
      topology.addProcessor(
          ENCODE,
          () ->
              new BatchEncodeProcessor(
                  new EncodeProcessor(pool, metrics, warmUp),
                  config.batch(),
                  AvroSerdes.clipRecord(),
                  pipeline,
                  metrics),
          VALIDATE);
      topology.addStateStore(
          org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
              supplier(stores, ENCODE_QUEUE), Serdes.Long(), QueuedClip.serde()),
          ENCODE);
    } else {
      topology.addProcessor(ENCODE, () -> new EncodeProcessor(pool, metrics, warmUp), VALIDATE);
    }
    topology.addProcessor(
        MEMORY,
        () ->
            new MemoryProcessor(
                config.window(),
                config.seconds(),
                config.timeout(),
                config.model().modelId(),
                config.model().classes(),
                pool,
                metrics),
        ENCODE);
    topology.addStateStore(
        org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
            supplier(stores, CONTRIBUTIONS),
            StateSerdes.streamSecond(),
            StateSerdes.contribution()),
        MEMORY);
    topology.addStateStore(
        org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
            supplier(stores, PENDING), StateSerdes.streamSecond(), StateSerdes.pendingClip()),
        MEMORY);
    topology.addStateStore(
        org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
            supplier(stores, PROGRESS), Serdes.String(), StateSerdes.progress()),
        MEMORY);
    topology.addSink(
        DETECTIONS_SINK,
        topics.detections().name(),
        topics.detections().keySerde().serializer(),
        topics.detections().valueSerde().serializer(),
        MEMORY);
    topology.addSink(
        DLQ_SINK,
        topics.clipsDlq().name(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        VALIDATE,
        ENCODE,
        MEMORY);
    return topology;
  }

  private static KeyValueBytesStoreSupplier supplier(Stores stores, String name) {
    return stores == Stores.PERSISTENT
        ? org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name)
        : org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(name);
  }
}
