package io.cmstream.trainer.infer;

import ai.onnxruntime.OrtException;
import io.cmstream.ava.clip.ClipGeometry;
import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.ava.clip.KeyframeWindow;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.ava.format.Box;
import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.FrameKey;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.common.window.WindowSpan;
import io.cmstream.runtime.ContextHeadRunner;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.runtime.EncoderRunner;
import io.cmstream.runtime.MemoryWindow;
import io.cmstream.schemas.manifest.ModelManifest;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.BatchAssembler;
import io.cmstream.trainer.data.LabelledBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * Offline inference with the two exported graphs, the reference that streaming must equal
 * (docs/DESIGN.md section 2). Per video: scan 1 encodes the clip of every keyframe second that some
 * evaluated keyframe's window needs (stateless, once per second: roi_feats, key, contribution,
 * weight); scan 2 builds each keyframe's memory from its window [t - back, t + ahead] clipped to
 * the video and runs the context head on the keyframe's boxes.
 */
public final class TwoScanInference {
  private final EncoderRunner encoder;
  private final ContextHeadRunner head;
  private final ClipSpec spec;
  private final int back;
  private final int ahead;

  /** Work counters of one run. */
  public record Stats(
      int videos, int encodedSeconds, int scoredKeyframes, long encoderNanos, long headNanos) {}

  private long encoderNanos;
  private long headNanos;
  private int encoded;
  private int scored;

  public TwoScanInference(
      EncoderRunner encoder, ContextHeadRunner head, ClipSpec spec, WindowSpan window) {
    this.encoder = encoder;
    this.head = head;
    this.spec = spec;
    this.back = window.back();
    this.ahead = window.ahead();
  }

  /** Label-map ids of a bundle's K outputs, in output order. */
  public static int[] classIds(ModelManifest manifest) {
    return manifest.classes().stream().mapToInt(ModelManifest.ClassEntry::id).toArray();
  }

  /**
   * Detections (one row per box and class, score = probability) for every evaluation keyframe of
   * the split, in the label map's class order {@code classIds}.
   *
   * @param progress called with the number of keyframes scored after each video
   */
  public List<DetectionRow> detect(AvaSplit split, int[] classIds, IntConsumer progress)
      throws OrtException {
    if (classIds.length != head.classes()) {
      throw new IllegalArgumentException(
          "the model has " + head.classes() + " classes, the label map " + classIds.length);
    }
    BatchAssembler frames = new BatchAssembler(split, spec);
    ClipPipeline pipeline = new ClipPipeline(spec);
    Map<String, Map<Integer, List<LabelledBox>>> byVideo = new TreeMap<>();
    for (Map.Entry<FrameKey, List<LabelledBox>> e : split.evaluationBoxes().entrySet()) {
      byVideo
          .computeIfAbsent(e.getKey().videoId(), v -> new TreeMap<>())
          .put(e.getKey().timestamp(), e.getValue());
    }
    List<DetectionRow> rows = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, List<LabelledBox>>> v : byVideo.entrySet()) {
      String vid = v.getKey();
      Map<Integer, List<LabelledBox>> keys = v.getValue();
      int[] range = split.secondRange(vid, spec.fps());
      Map<Integer, List<KeyframeWindow.Slot>> windows = new TreeMap<>();
      TreeSet<Integer> needed = new TreeSet<>();
      for (Map.Entry<Integer, List<LabelledBox>> k : keys.entrySet()) {
        int t = k.getKey();
        if (t < range[0] || t > range[1] || k.getValue().isEmpty()) {
          continue;
        }
        List<KeyframeWindow.Slot> w =
            KeyframeWindow.around(t, back, ahead, range[0], range[1], s -> true);
        windows.put(t, w);
        w.forEach(s -> needed.add(s.second()));
      }
      // scan 1: encode every needed second once
      Map<Integer, EncoderOutput> enc = new TreeMap<>();
      for (int s : needed) {
        List<RgbImage> f = frames.frames(vid, s);
        ClipTensor clip =
            pipeline.build(f, ClipGeometry.forEval(spec, f.get(0).width(), f.get(0).height()));
        long t0 = System.nanoTime();
        enc.put(
            s,
            encoder.encode(
                clip.data(),
                clip.frames(),
                clip.height(),
                clip.width(),
                boxes(keys.getOrDefault(s, List.of()))));
        encoderNanos += System.nanoTime() - t0;
        encoded++;
      }
      // scan 2: memory of each keyframe's window, then the context head
      for (Map.Entry<Integer, List<KeyframeWindow.Slot>> w : windows.entrySet()) {
        int t = w.getKey();
        long t0 = System.nanoTime();
        MemoryWindow memory = new MemoryWindow(encoder.memoryChannels());
        w.getValue().forEach(s -> memory.add(enc.get(s.second())));
        float[][] scores = head.scores(enc.get(t), memory.memory());
        headNanos += System.nanoTime() - t0;
        scored++;
        List<LabelledBox> boxes = keys.get(t);
        for (int b = 0; b < boxes.size(); b++) {
          Box box = boxes.get(b).box();
          for (int c = 0; c < classIds.length; c++) {
            rows.add(new DetectionRow(vid, t, box, classIds[c], scores[b][c]));
          }
        }
      }
      progress.accept(windows.size());
    }
    return rows;
  }

  /** Counters of the work done so far. */
  public Stats stats(int videos) {
    return new Stats(videos, encoded, scored, encoderNanos, headNanos);
  }

  private static float[] boxes(List<LabelledBox> boxes) {
    float[] b = new float[boxes.size() * 4];
    for (int i = 0; i < boxes.size(); i++) {
      System.arraycopy(boxes.get(i).coords(), 0, b, i * 4, 4);
    }
    return b;
  }
}
