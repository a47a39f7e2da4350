package io.cmstream.trainer.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
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
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.BatchAssembler;
import io.cmstream.trainer.data.LabelledBox;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.CollaborativeMemory;
import io.cmstream.trainer.model.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * Offline detection on a split with the streaming decomposition of docs/DESIGN.md section 2: every
 * second of a video is encoded once (stateless: roi_feats, key, contribution phi^T psi, weight L),
 * the memory of keyframe t is the sum of the contributions of the seconds of its centred N-second
 * window (clipped to the video) over the sum of their weights, and the context head scores the
 * keyframe's boxes from (roi_feats, key, memory). The {@code residual} variant, which does not
 * decompose, keeps the feature maps of the video and runs the memory block per window.
 */
public final class WindowedDetector {
  private final CmDetector model;
  private final ClipSpec spec;
  private final WindowSpan window;
  private final int batch;

  public WindowedDetector(CmDetector model, ClipSpec spec, int clips, int batch) {
    this.model = model;
    this.spec = spec;
    this.window = WindowSpan.centred(clips);
    this.batch = Math.max(1, batch);
  }

  /** One encoded second. */
  private record Encoded(
      float[] roiFeats,
      int boxes,
      float[] key,
      float[] contribution,
      float[] pooled,
      float[] features,
      long[] featureShape,
      long positions) {}

  /**
   * Detections (one row per box and class, score = sigmoid) for every evaluation keyframe of the
   * split.
   *
   * @param progress called with the number of keyframes done after each video
   */
  public List<DetectionRow> detect(AvaSplit split, NDManager manager, IntConsumer progress) {
    BatchAssembler frames = new BatchAssembler(split, spec);
    ClipPipeline pipeline = new ClipPipeline(spec);
    Map<String, Map<Integer, List<LabelledBox>>> byVideo = new TreeMap<>();
    for (Map.Entry<FrameKey, List<LabelledBox>> e : split.evaluationBoxes().entrySet()) {
      byVideo
          .computeIfAbsent(e.getKey().videoId(), v -> new TreeMap<>())
          .put(e.getKey().timestamp(), e.getValue());
    }
    int[] classIds = split.classIds();
    List<DetectionRow> rows = new ArrayList<>();
    ParameterStore ps = new ParameterStore(manager, false);
    for (Map.Entry<String, Map<Integer, List<LabelledBox>>> v : byVideo.entrySet()) {
      String vid = v.getKey();
      Map<Integer, List<LabelledBox>> keys = v.getValue();
      int[] range = split.secondRange(vid, spec.fps());
      TreeSet<Integer> needed = new TreeSet<>();
      Map<Integer, List<KeyframeWindow.Slot>> windows = new TreeMap<>();
      for (int t : keys.keySet()) {
        if (t < range[0] || t > range[1]) {
          continue;
        }
        List<KeyframeWindow.Slot> w =
            KeyframeWindow.around(t, window.back(), window.ahead(), range[0], range[1], s -> true);
        windows.put(t, w);
        w.forEach(s -> needed.add(s.second()));
      }
      Map<Integer, Encoded> enc = new TreeMap<>();
      List<Integer> seconds = new ArrayList<>(needed);
      for (int i = 0; i < seconds.size(); i += batch) {
        List<Integer> chunk = seconds.subList(i, Math.min(seconds.size(), i + batch));
        encode(vid, chunk, keys, frames, pipeline, manager, ps, enc);
      }
      for (Map.Entry<Integer, List<KeyframeWindow.Slot>> w : windows.entrySet()) {
        int t = w.getKey();
        List<LabelledBox> boxes = keys.get(t);
        if (boxes.isEmpty()) {
          continue;
        }
        float[] scores = score(t, w.getValue(), enc, boxes, manager, ps);
        int k = classIds.length;
        for (int b = 0; b < boxes.size(); b++) {
          Box box = boxes.get(b).box();
          for (int c = 0; c < k; c++) {
            rows.add(new DetectionRow(vid, t, box, classIds[c], scores[b * k + c]));
          }
        }
      }
      progress.accept(windows.size());
    }
    return rows;
  }

  private void encode(
      String vid,
      List<Integer> chunk,
      Map<Integer, List<LabelledBox>> keys,
      BatchAssembler frames,
      ClipPipeline pipeline,
      NDManager manager,
      ParameterStore ps,
      Map<Integer, Encoded> out) {
    try (NDManager m = manager.newSubManager()) {
      List<ClipTensor> cl = new ArrayList<>();
      for (int s : chunk) {
        List<RgbImage> f = frames.frames(vid, s);
        cl.add(pipeline.build(f, ClipGeometry.forEval(spec, f.get(0).width(), f.get(0).height())));
      }
      ClipTensor first = cl.get(0);
      float[] data = new float[first.data().length * cl.size()];
      for (int i = 0; i < cl.size(); i++) {
        System.arraycopy(cl.get(i).data(), 0, data, i * first.data().length, first.data().length);
      }
      NDArray x =
          model.features(
              ps,
              m.create(
                  data, new Shape(cl.size(), 3, first.frames(), first.height(), first.width())),
              false);
      CollaborativeMemory mem = model.memory();
      MemoryType type = mem.type();
      long l = CollaborativeMemory.positions(x);
      NDArray contrib = type == MemoryType.DEFAULT ? mem.contribution(ps, x, false) : null;
      NDArray keysNd = type == MemoryType.DEFAULT ? mem.key(ps, x, false) : null;
      NDArray pooled = type == MemoryType.AVGPOOL ? mem.pooledPhi(ps, x, false) : null;
      for (int i = 0; i < chunk.size(); i++) {
        int s = chunk.get(i);
        NDArray xi = x.get(i + ":" + (i + 1));
        List<LabelledBox> boxes = keys.getOrDefault(s, List.of());
        float[] roi = null;
        if (!boxes.isEmpty() && type != MemoryType.RESIDUAL) {
          roi =
              model
                  .head()
                  .roiFeatures(xi, boxArray(m, boxes), new int[boxes.size()])
                  .toFloatArray();
        }
        out.put(
            s,
            new Encoded(
                roi,
                boxes.size(),
                keysNd == null ? null : keysNd.get(i).toFloatArray(),
                contrib == null ? null : contrib.get(i).toFloatArray(),
                pooled == null ? null : pooled.get(i).toFloatArray(),
                type == MemoryType.RESIDUAL ? xi.toFloatArray() : null,
                xi.getShape().getShape(),
                l));
      }
    }
  }

  private static NDArray boxArray(NDManager m, List<LabelledBox> boxes) {
    float[] b = new float[boxes.size() * 4];
    for (int i = 0; i < boxes.size(); i++) {
      System.arraycopy(boxes.get(i).coords(), 0, b, i * 4, 4);
    }
    return m.create(b, new Shape(boxes.size(), 4));
  }

  private float[] score(
      int t,
      List<KeyframeWindow.Slot> window,
      Map<Integer, Encoded> enc,
      List<LabelledBox> boxes,
      NDManager manager,
      ParameterStore ps) {
    try (NDManager m = manager.newSubManager()) {
      Encoded e = enc.get(t);
      CollaborativeMemory mem = model.memory();
      long c = model.config().channels();
      NDArray feats;
      switch (mem.type()) {
        case NONE -> feats = m.create(e.roiFeats(), new Shape(e.boxes(), c));
        case DEFAULT -> {
          int cp = mem.memoryChannels();
          float[] sum = new float[cp * cp];
          long weight = 0;
          for (KeyframeWindow.Slot s : window) {
            Encoded o = enc.get(s.second());
            for (int i = 0; i < sum.length; i++) {
              sum[i] += o.contribution()[i];
            }
            weight += o.positions();
          }
          NDArray memory = m.create(sum, new Shape(1, cp, cp)).div((float) weight);
          NDArray gate = mem.gate(ps, m.create(e.key(), new Shape(1, cp)), memory, false);
          feats = m.create(e.roiFeats(), new Shape(e.boxes(), c)).mul(gate);
        }
        case AVGPOOL -> {
          int cp = mem.memoryChannels();
          float[] mean = new float[cp];
          for (KeyframeWindow.Slot s : window) {
            float[] p = enc.get(s.second()).pooled();
            for (int i = 0; i < cp; i++) {
              mean[i] += p[i] / window.size();
            }
          }
          NDArray gate = mem.pooledGate(ps, m.create(mean, new Shape(1, cp)), false);
          feats = m.create(e.roiFeats(), new Shape(e.boxes(), c)).mul(gate);
        }
        case RESIDUAL -> {
          NDList xs = new NDList();
          int pos = 0;
          for (int i = 0; i < window.size(); i++) {
            Encoded o = enc.get(window.get(i).second());
            xs.add(m.create(o.features(), new Shape(o.featureShape())));
            if (window.get(i).second() == t) {
              pos = i;
            }
          }
          NDArray xhat = mem.apply(ps, NDArrays.concat(xs, 0), new int[] {window.size()}, false);
          feats =
              model
                  .head()
                  .roiFeatures(
                      xhat.get(pos + ":" + (pos + 1)), boxArray(m, boxes), new int[boxes.size()]);
        }
        default -> throw new IllegalStateException();
      }
      return Activation.sigmoid(model.head().classify(ps, feats, false)).toFloatArray();
    }
  }
}
