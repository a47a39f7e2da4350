package io.cmstream.detector.topology;

import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.ClipInference;
import io.cmstream.detector.model.InferencePool;
import io.cmstream.runtime.EncoderInput;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.schemas.DlqReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Step 2: runs encoder.onnx on clips with the session set of the current stream thread: one clip as
 * it arrives ({@link #process}), or the clips of a batch ({@link #encodeAll}, from {@link
 * BatchEncodeProcessor}) in one encoder call per frame size.
 */
final class EncodeProcessor implements Processor<String, DecodedClip, Object, Object> {

  static final String WHERE = "cm-detector/encode";

  private final InferencePool pool;
  private final DetectorMetrics metrics;
  private final RecordPathWarmUp warmUp;
  private ProcessorContext<Object, Object> context;
  private DeadLetters deadLetters;

  EncodeProcessor(InferencePool pool, DetectorMetrics metrics, RecordPathWarmUp warmUp) {
    this.pool = pool;
    this.metrics = metrics;
    this.warmUp = warmUp;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.deadLetters = new DeadLetters(context, metrics, WHERE);
    warmUp.runOnCurrentThread(); // at task start, on the stream thread, not on the first clip
  }

  @Override
  public void process(Record<String, DecodedClip> record) {
    encodeAll(List.of(record), 1);
  }

  /**
   * Encodes clips and forwards them in the order of {@code records} (their arrival order). Clips of
   * the same frame size (T,H,W) are encoded together, at most {@code maxPerCall} per encoder call
   * (grouped by frame size, not padded: {@link #calls}). Each clip's encode time is its call's time
   * divided by the clips of the call. If a call of several clips fails, each of its clips is
   * encoded alone, so only a clip the model cannot run goes to the dead-letter topic.
   */
  void encodeAll(List<Record<String, DecodedClip>> records, int maxPerCall) {
    Outcome[] outcomes = new Outcome[records.size()];
    try {
      ClipInference inference = pool.forCurrentThread();
      List<ClipTensor> tensors = records.stream().map(r -> r.value().tensor()).toList();
      for (List<Integer> call : calls(tensors, maxPerCall)) {
        encodeCall(inference, records, call, outcomes);
      }
    } catch (RuntimeException e) {
      for (int i = 0; i < outcomes.length; i++) {
        if (outcomes[i] == null) {
          outcomes[i] = new Outcome(null, 0, null, e);
        }
      }
    }
    for (int i = 0; i < records.size(); i++) {
      Record<String, DecodedClip> record = records.get(i);
      Outcome o = outcomes[i];
      try {
        if (o.error() != null) {
          deadLetters.failed(record.value().raw(), "encode", o.error());
        } else if (o.refused() != null) {
          // a clip the model cannot run (e.g. a shape it refuses) must not stop the application
          deadLetters.send(
              record.value().raw(), DlqReason.PROCESSING_FAILED, "encoder: " + o.refused());
        } else {
          forward(record, o.output(), o.millis());
        }
      } catch (RuntimeException e) {
        deadLetters.failed(record.value().raw(), "encode", e);
      }
    }
  }

  /**
   * The encoder calls of clips: the indices of the clips of each frame size (T,H,W), in arrival
   * order, cut into calls of at most {@code maxPerCall}; frame sizes in the order of their first
   * clip.
   */
  static List<List<Integer>> calls(List<ClipTensor> clips, int maxPerCall) {
    if (maxPerCall < 1) {
      throw new IllegalArgumentException("clips per call must be >= 1, got " + maxPerCall);
    }
    Map<List<Integer>, List<Integer>> bySize = new LinkedHashMap<>();
    for (int i = 0; i < clips.size(); i++) {
      ClipTensor c = clips.get(i);
      bySize
          .computeIfAbsent(List.of(c.frames(), c.height(), c.width()), k -> new ArrayList<>())
          .add(i);
    }
    List<List<Integer>> calls = new ArrayList<>();
    for (List<Integer> group : bySize.values()) {
      for (int from = 0; from < group.size(); from += maxPerCall) {
        calls.add(List.copyOf(group.subList(from, Math.min(group.size(), from + maxPerCall))));
      }
    }
    return calls;
  }

  private void encodeCall(
      ClipInference inference,
      List<Record<String, DecodedClip>> records,
      List<Integer> call,
      Outcome[] outcomes) {
    long start = System.nanoTime();
    List<EncoderOutput> encoded;
    try {
      List<EncoderInput> inputs = new ArrayList<>(call.size());
      for (int i : call) {
        DecodedClip clip = records.get(i).value();
        inputs.add(ClipInference.input(clip.tensor(), clip.boxes()));
      }
      encoded = inference.encodeBatch(inputs);
    } catch (RuntimeException e) {
      if (call.size() == 1) {
        outcomes[call.get(0)] = new Outcome(null, 0, String.valueOf(e.getMessage()), null);
      } else {
        for (int i : call) { // find the clip the model cannot run; encode the others
          encodeCall(inference, records, List.of(i), outcomes);
        }
      }
      return;
    }
    double millisPerClip = (System.nanoTime() - start) / 1e6 / call.size();
    for (int k = 0; k < call.size(); k++) {
      outcomes[call.get(k)] = new Outcome(encoded.get(k), millisPerClip, null, null);
    }
  }

  private void forward(Record<String, DecodedClip> record, EncoderOutput encoded, double millis) {
    DecodedClip clip = record.value();
    metrics.encoded(millis);
    context.forward(
        record.withValue(
            new EncodedInput(
                clip.raw(), clip.record(), encoded, millis, System.currentTimeMillis())),
        DetectorTopology.MEMORY);
  }

  /**
   * What encoding one clip gave: its output and encode time (its share of the call), or why the
   * encoder refused it, or another failure.
   */
  private record Outcome(
      EncoderOutput output, double millis, String refused, RuntimeException error) {}
}
