package io.cmstream.detector.topology;

import io.cmstream.common.format.LabelMap;
import io.cmstream.common.window.WindowSpan;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.ClipInference;
import io.cmstream.detector.model.InferencePool;
import io.cmstream.detector.state.PendingClip;
import io.cmstream.detector.state.SecondPolicy;
import io.cmstream.detector.state.StreamProgress;
import io.cmstream.detector.state.StreamSecond;
import io.cmstream.detector.state.WindowPolicy;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.runtime.Memory;
import io.cmstream.runtime.MemoryContribution;
import io.cmstream.schemas.DlqReason;
import io.cmstream.schemas.avro.ActionScore;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.ClipTimes;
import io.cmstream.schemas.avro.DetectionRecord;
import io.cmstream.schemas.avro.PersonBox;
import io.cmstream.schemas.avro.PersonDetection;
import io.cmstream.schemas.avro.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Step 3: the memory. Stores each clip's contribution per (stream, second) and the clip itself as
 * pending; emits a pending second once its window is complete (see {@link WindowPolicy}), at end of
 * stream, or when it has waited {@code timeout} of wall-clock time. Emission sums the window's
 * stored contributions in ascending second order (so arrival order never changes a score), runs the
 * context head and forwards one detection record. Contributions that no pending or still-arrivable
 * second can need are deleted, so the state per stream is bounded by the window, grace and pending
 * clips, not by the length of the video. Each detection's timing carries the step times of its own
 * clip and of the clip that completed its window (the critical path of its latency).
 */
final class MemoryProcessor implements Processor<String, EncodedInput, Object, Object> {

  static final String WHERE = "cm-detector/memory";

  private final WindowPolicy window;
  private final SecondPolicy seconds;
  private final WindowSpan span;
  private final Duration timeout;
  private final String modelId;
  private final List<LabelMap.Label> classes;
  private final InferencePool pool;
  private final DetectorMetrics metrics;
  private ProcessorContext<Object, Object> context;
  private DeadLetters deadLetters;
  private KeyValueStore<StreamSecond, MemoryContribution> contributions;
  private KeyValueStore<StreamSecond, PendingClip> pending;
  private KeyValueStore<String, StreamProgress> progress;

  MemoryProcessor(
      WindowPolicy window,
      SecondPolicy seconds,
      Duration timeout,
      String modelId,
      List<LabelMap.Label> classes,
      InferencePool pool,
      DetectorMetrics metrics) {
    this.window = window;
    this.seconds = seconds;
    this.span = window.span();
    this.timeout = timeout;
    this.modelId = modelId;
    this.classes = classes;
    this.pool = pool;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    deadLetters = new DeadLetters(context, metrics, WHERE);
    contributions = context.getStateStore(DetectorTopology.CONTRIBUTIONS);
    pending = context.getStateStore(DetectorTopology.PENDING);
    progress = context.getStateStore(DetectorTopology.PROGRESS);
    Duration every = timeout.compareTo(Duration.ofSeconds(1)) < 0 ? timeout : Duration.ofSeconds(1);
    context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::emitTimedOut);
  }

  @Override
  public void process(Record<String, EncodedInput> record) {
    try {
      store(record);
    } catch (RuntimeException e) {
      deadLetters.failed(record.value().raw(), "memory", e);
    }
  }

  private void store(Record<String, EncodedInput> record) {
    EncodedInput in = record.value();
    ClipRecord clip = in.record();
    String stream = record.key();
    int second = clip.getSecond();
    StreamProgress p = progress.get(stream);
    if (p != null && (p.ended() || window.isLate(second, p.maxSeen()))) {
      String why =
          p.ended()
              ? "stream ended at second "
                  + p.maxSeen()
                  + "; clip for second "
                  + second
                  + " came after it"
              : "second "
                  + second
                  + " is more than grace "
                  + window.grace()
                  + " s behind second "
                  + p.maxSeen();
      deadLetters.send(in.raw(), DlqReason.LATE, why);
      return;
    }
    if (p != null && seconds.isJump(second, p.maxSeen())) {
      deadLetters.send(
          in.raw(),
          DlqReason.FORWARD_JUMP,
          "second "
              + second
              + " is more than "
              + seconds.maxForwardJump()
              + " s ahead of the stream's newest second "
              + p.maxSeen());
      return;
    }
    StreamSecond key = new StreamSecond(stream, second);
    ClipTimes times =
        times(
            second,
            clip.getLastFrameCaptureTimeMs(),
            record.timestamp(),
            in.raw().receivedMs(),
            in.encodedAtMs());
    if (contributions.get(key) != null) {
      metrics.duplicate(); // same (stream, second) again: already counted, nothing changes
      if (clip.getEndOfStream()) {
        // the streamer's end of stream: its last clip once more, flagged
        p = p.end();
        progress.put(stream, p);
        emitReady(stream, p, false, times);
      }
      return;
    }
    EncoderOutput e = in.encoded();
    contributions.put(key, MemoryContribution.of(e));
    pending.put(
        key,
        new PendingClip(
            stream,
            second,
            boxes(clip.getBoxes()),
            e.channels(),
            e.roiFeats(),
            e.key(),
            clip.getCaptureTimeMs() == null ? -1 : clip.getCaptureTimeMs(),
            record.timestamp(),
            in.encodeMs(),
            context.currentSystemTimeMs(),
            clip.getLastFrameCaptureTimeMs() == null ? -1 : clip.getLastFrameCaptureTimeMs(),
            in.raw().receivedMs(),
            in.encodedAtMs()));
    p = p == null ? StreamProgress.start(second) : p.seen(second);
    if (clip.getSentFromSecond() != null) {
      p = p.sentFrom(clip.getSentFromSecond());
    }
    if (clip.getEndOfStream()) {
      p = p.end();
    }
    progress.put(stream, p);
    emitReady(stream, p, false, times);
  }

  private static ClipTimes times(
      int second, Long lastFrameCaptureMs, long publishMs, long receivedMs, long encodedMs) {
    return new ClipTimes(second, lastFrameCaptureMs, publishMs, receivedMs, encodedMs);
  }

  /** Wall-clock punctuation: emits every pending clip that has waited longer than the timeout. */
  private void emitTimedOut(long now) {
    Set<String> streams = new LinkedHashSet<>();
    try (KeyValueIterator<StreamSecond, PendingClip> it = pending.all()) {
      while (it.hasNext()) {
        PendingClip clip = it.next().value;
        if (now - clip.pendedAtMs() >= timeout.toMillis()) {
          streams.add(clip.streamId());
        }
      }
    }
    for (String stream : streams) {
      emitReady(stream, progress.get(stream), true, null);
    }
  }

  /**
   * Emits the stream's pending seconds whose window is complete (or timed out), then prunes.
   *
   * @param trigger the times of the clip whose arrival this is (null: the timeout punctuation)
   */
  private void emitReady(String stream, StreamProgress p, boolean timeouts, ClipTimes trigger) {
    TreeMap<Integer, MemoryContribution> stored = new TreeMap<>();
    try (KeyValueIterator<StreamSecond, MemoryContribution> it =
        contributions.range(
            new StreamSecond(stream, p.lowestStored()), StreamSecond.highest(stream))) {
      while (it.hasNext()) {
        KeyValue<StreamSecond, MemoryContribution> kv = it.next();
        stored.put(kv.key.second(), kv.value);
      }
    }
    List<PendingClip> waiting = new ArrayList<>();
    try (KeyValueIterator<StreamSecond, PendingClip> it =
        pending.range(StreamSecond.lowest(stream), StreamSecond.highest(stream))) {
      while (it.hasNext()) {
        waiting.add(it.next().value);
      }
    }
    long now = context.currentSystemTimeMs();
    int minPending = Integer.MAX_VALUE;
    for (PendingClip clip : waiting) {
      boolean complete = window.isComplete(clip.second(), p, stored::containsKey);
      boolean timedOut = timeouts && now - clip.pendedAtMs() >= timeout.toMillis();
      if (complete || timedOut) {
        try {
          emit(clip, stored, trigger);
        } catch (RuntimeException e) {
          // the second cannot be emitted (e.g. the head fails on it): dead-letter it once, do not
          // retry forever
          RawInput second =
              new RawInput(
                  stream.getBytes(StandardCharsets.UTF_8),
                  null,
                  new RecordHeaders(),
                  "",
                  -1,
                  -1,
                  clip.clipTimestampMs());
          deadLetters.failed(
              second, "emitting second " + clip.second() + " of stream " + stream, e);
        }
        pending.delete(new StreamSecond(stream, clip.second()));
      } else {
        minPending = Math.min(minPending, clip.second());
      }
    }
    prune(stream, p, minPending);
  }

  private void emit(
      PendingClip clip, TreeMap<Integer, MemoryContribution> stored, ClipTimes trigger) {
    long start = System.nanoTime();
    int t = clip.second();
    Memory memory = Memory.at(span, t, stored); // sums the window's seconds in ascending order
    ClipInference inference = pool.forCurrentThread();
    int rows = clip.boxCount();
    float[][] scores =
        rows == 0
            ? new float[0][]
            : inference.scores(clip.roiFeats(), rows, clip.key(), memory.matrix());
    double headMs = (System.nanoTime() - start) / 1e6;
    metrics.headRan(headMs);
    long emitAt =
        System.currentTimeMillis(); // not the context's time, which is cached at the record's start
    DetectionRecord detection =
        DetectionRecord.newBuilder()
            .setStreamId(clip.streamId())
            .setSecond(t)
            .setModelId(modelId)
            .setPersons(persons(clip, scores))
            .setMemorySeconds(memory.seconds())
            .setTiming(
                Timing.newBuilder()
                    .setCaptureTimeMs(clip.captureTimeMs() < 0 ? null : clip.captureTimeMs())
                    .setClipTimestampMs(clip.clipTimestampMs())
                    .setEncodeMs(clip.encodeMs())
                    .setHeadMs(headMs)
                    .setEmitTimeMs(emitAt)
                    .setClip(
                        clip.receivedTimeMs() < 0
                            ? null
                            : times(
                                t,
                                clip.lastFrameCaptureTimeMs() < 0
                                    ? null
                                    : clip.lastFrameCaptureTimeMs(),
                                clip.clipTimestampMs(),
                                clip.receivedTimeMs(),
                                clip.encodedTimeMs()))
                    .setWindow(trigger)
                    .build())
            .build();
    long origin = clip.captureTimeMs() >= 0 ? clip.captureTimeMs() : clip.clipTimestampMs();
    metrics.detectionOut(emitAt - origin);
    context.forward(
        new Record<>(clip.streamId(), detection, clip.clipTimestampMs()),
        DetectorTopology.DETECTIONS_SINK);
  }

  private List<PersonDetection> persons(PendingClip clip, float[][] scores) {
    int k = classes.size();
    float[] b = clip.boxes();
    List<PersonDetection> persons = new ArrayList<>(clip.boxCount());
    for (int r = 0; r < clip.boxCount(); r++) {
      List<ActionScore> actions = new ArrayList<>(k);
      for (int j = 0; j < k; j++) {
        LabelMap.Label c = classes.get(j);
        actions.add(new ActionScore(c.id(), c.name(), scores[r][j]));
      }
      persons.add(
          new PersonDetection(
              new PersonBox(b[5 * r], b[5 * r + 1], b[5 * r + 2], b[5 * r + 3], b[5 * r + 4]),
              actions));
    }
    return persons;
  }

  /** Deletes contributions no pending or still-arrivable second can need. */
  private void prune(String stream, StreamProgress p, int minPending) {
    int keepFrom =
        p.ended() && minPending == Integer.MAX_VALUE
            ? (p.maxSeen() == Integer.MAX_VALUE ? Integer.MAX_VALUE : p.maxSeen() + 1)
            : window.lowestNeeded(p.maxSeen(), minPending);
    if (keepFrom <= p.lowestStored()) {
      return;
    }
    List<StreamSecond> dead = new ArrayList<>();
    try (KeyValueIterator<StreamSecond, MemoryContribution> it =
        contributions.range(
            new StreamSecond(stream, p.lowestStored()), new StreamSecond(stream, keepFrom - 1))) {
      while (it.hasNext()) {
        dead.add(it.next().key);
      }
    }
    dead.forEach(contributions::delete);
    progress.put(stream, p.prunedBelow(keepFrom));
  }

  private static float[] boxes(List<PersonBox> boxes) {
    float[] out = new float[boxes.size() * 5];
    for (int i = 0; i < boxes.size(); i++) {
      PersonBox b = boxes.get(i);
      out[5 * i] = b.getX1();
      out[5 * i + 1] = b.getY1();
      out[5 * i + 2] = b.getX2();
      out[5 * i + 3] = b.getY2();
      out[5 * i + 4] = b.getScore();
    }
    return out;
  }
}
