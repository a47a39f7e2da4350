package io.cmstream.detector.topology;

import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.EncodeBatch;
import io.cmstream.schemas.AvroSingleObjectSerde;
import io.cmstream.schemas.avro.ClipRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Step 2 with batching across the streams of a task: a validated clip is queued in the changelogged
 * {@link DetectorTopology#ENCODE_QUEUE} store (arrival sequence -> {@link QueuedClip}) and the
 * queue is encoded when it holds {@link EncodeBatch#size()} clips or its oldest clip has waited
 * {@link EncodeBatch#maxWait()} (wall-clock punctuation). The queued clips are grouped by frame
 * size (T,H,W; not padded) and each group is encoded in one encoder call of at most {@link
 * EncodeBatch#size()} clips ({@link EncodeProcessor#encodeAll}); the encoded clips are forwarded in
 * arrival order, each with the outputs it has when encoded alone, so the detections are those of
 * unbatched encoding.
 *
 * <p>Exactly once: queueing, encoding, forwarding and dequeueing happen in the task's transaction
 * with the input offsets, so after a crash the queue is restored from its changelog as of the last
 * commit and the input after that commit is read again: nothing is lost or encoded twice. Tensors
 * are kept in memory for queued clips; a clip restored from the changelog is decoded again from its
 * stored record (the same bytes give the same tensor).
 */
final class BatchEncodeProcessor implements Processor<String, DecodedClip, Object, Object> {

  private final EncodeProcessor encoder;
  private final EncodeBatch batch;
  private final AvroSingleObjectSerde<ClipRecord> serde;
  private final ClipPipeline pipeline;
  private final DetectorMetrics metrics;
  private final Map<Long, Record<String, DecodedClip>> decoded = new HashMap<>();
  private ProcessorContext<Object, Object> context;
  private DeadLetters deadLetters;
  private KeyValueStore<Long, QueuedClip> queue;
  private long nextSequence;
  private long queued;
  private long oldestQueuedAtMs;

  BatchEncodeProcessor(
      EncodeProcessor encoder,
      EncodeBatch batch,
      AvroSingleObjectSerde<ClipRecord> serde,
      ClipPipeline pipeline,
      DetectorMetrics metrics) {
    this.encoder = encoder;
    this.metrics = metrics;
    this.batch = batch;
    this.serde = serde;
    this.pipeline = pipeline;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    encoder.init(context);
    deadLetters = new DeadLetters(context, metrics, EncodeProcessor.WHERE);
    queue = context.getStateStore(DetectorTopology.ENCODE_QUEUE);
    // a revived task runs init again on the same instance: only the restored store counts
    decoded.clear();
    nextSequence = 0;
    queued = 0;
    oldestQueuedAtMs = Long.MAX_VALUE;
    try (KeyValueIterator<Long, QueuedClip> it = queue.all()) {
      while (it.hasNext()) {
        KeyValue<Long, QueuedClip> e = it.next();
        nextSequence = Math.max(nextSequence, e.key + 1);
        queued++;
        oldestQueuedAtMs = Math.min(oldestQueuedAtMs, e.value.queuedAtMs());
      }
    }
    // checked ten times per wait: a clip waits at most 1.1 x the wait (plus the stream thread's
    // poll)
    context.schedule(batch.checkInterval(), PunctuationType.WALL_CLOCK_TIME, now -> flushIfDue());
  }

  @Override
  public void process(Record<String, DecodedClip> record) {
    long now = context.currentSystemTimeMs();
    long sequence = nextSequence++;
    queue.put(sequence, new QueuedClip(now, record.value().raw()));
    decoded.put(sequence, record);
    queued++;
    oldestQueuedAtMs = Math.min(oldestQueuedAtMs, now);
    if (queued >= batch.size()) {
      flush();
    }
  }

  /** Encodes the queue if its oldest clip has waited the batch's longest wait. */
  private void flushIfDue() {
    if (queued > 0
        && context.currentSystemTimeMs() - oldestQueuedAtMs >= batch.maxWait().toMillis()) {
      flush();
    }
  }

  /** Encodes every queued clip, forwards them in arrival order and empties the queue. */
  private void flush() {
    List<KeyValue<Long, QueuedClip>> all = new ArrayList<>();
    try (KeyValueIterator<Long, QueuedClip> it = queue.all()) {
      it.forEachRemaining(all::add);
    }
    List<Record<String, DecodedClip>> records = new ArrayList<>(all.size());
    for (KeyValue<Long, QueuedClip> e : all) {
      Record<String, DecodedClip> record = decoded.remove(e.key);
      queue.delete(e.key);
      if (record == null) {
        try {
          record = decodeAgain(e.value.raw());
        } catch (RuntimeException ex) {
          deadLetters.failed(e.value.raw(), "decode a restored queued clip", ex);
          continue;
        }
      }
      records.add(record);
    }
    encoder.encodeAll(records, batch.size());
    decoded.clear();
    queued = 0;
    oldestQueuedAtMs = Long.MAX_VALUE;
  }

  /**
   * A restored clip: its record passed validation before it was queued, so it decodes the same way
   * again.
   */
  private Record<String, DecodedClip> decodeAgain(RawInput raw) {
    ClipRecord clip = serde.decode(raw.value());
    List<RgbImage> frames =
        JpegCodec.decodeAll(clip.getFrames().stream().map(DecodedClip::jpeg).toList());
    return new Record<>(
        clip.getStreamId().toString(),
        DecodedClip.of(raw, clip, frames, pipeline),
        raw.timestamp(),
        raw.headers());
  }
}
