package io.cmstream.trainer.export;

import static io.cmstream.trainer.export.OrtPair.in;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.onnxruntime.OrtException;
import io.cmstream.runtime.GraphContract;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.CollaborativeMemory;
import io.cmstream.trainer.model.ModelConfig;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported encoder + context head compute what the DJL model computes (eval mode), for one clip
 * and for the N-clip forward (streaming decomposition: N encoder runs, memory = sum of
 * contributions / sum of weights, head per clip), with 0, 1 and many boxes.
 */
class ExportParityTest {

  private static final double TOLERANCE = 1e-4;

  static Stream<Arguments> configs() {
    return Stream.of(Arguments.of(TinyModels.basic()), Arguments.of(TinyModels.bottleneck()));
  }

  @org.junit.jupiter.api.Test
  void shouldMatchDjlScoresOfAModelWithoutMemory() throws OrtException {
    ModelConfig config = TinyModels.basic().withMemory(io.cmstream.trainer.model.MemoryType.NONE);
    try (NDManager m = NDManager.newBaseManager("PyTorch");
        Exported ex = Exported.of(TinyModels.randomised(config, m, 17))) {
      Random rnd = new Random(4);
      float[][] clips = {
        gaussian(rnd, (int) ex.model.clipShape(1).size()),
        gaussian(rnd, (int) ex.model.clipShape(1).size())
      };
      float[][] boxes = {boxes(rnd, 4), boxes(rnd, 0)};
      float[] djl = djlScores(ex.model, m, clips[0], 1, boxes[0], new int[4]);
      float[] ort = ex.scores(clips, boxes, 0, 1); // the memory of both seconds must not matter
      double diff = maxAbsDiff(djl, ort);
      System.out.println("PARITY no-memory diff=" + diff);
      assertTrue(diff <= TOLERANCE, "max abs diff " + diff);
    }
  }

  @ParameterizedTest
  @MethodSource("configs")
  void shouldMatchDjlScoresForOneClipWithZeroOneAndManyBoxes(ModelConfig config)
      throws OrtException {
    try (NDManager m = NDManager.newBaseManager("PyTorch");
        Exported ex = Exported.of(TinyModels.randomised(config, m, 7))) {
      Random rnd = new Random(3);
      for (int r : new int[] {0, 1, 6}) {
        float[] clip = gaussian(rnd, (int) ex.model.clipShape(1).size());
        float[] boxes = boxes(rnd, r);
        float[] djl = djlScores(ex.model, m, clip, 1, boxes, new int[r]);
        float[] ort = ex.scores(new float[][] {clip}, new float[][] {boxes}, 0, 0);
        assertEquals(r * config.numClasses(), ort.length);
        double diff = maxAbsDiff(djl, ort);
        System.out.println("PARITY R=" + r + " diff=" + diff);
        assertTrue(diff <= TOLERANCE, "R=" + r + " max abs diff " + diff);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("configs")
  void shouldMatchNClipForwardWithEncoderRunsAndMemorySum(ModelConfig config) throws OrtException {
    int n = 3;
    int[] perClip = {2, 0, 4};
    try (NDManager m = NDManager.newBaseManager("PyTorch");
        Exported ex = Exported.of(TinyModels.randomised(config, m, 11))) {
      Random rnd = new Random(5);
      int clipSize = (int) ex.model.clipShape(1).size();
      float[][] clips = new float[n][];
      float[][] boxes = new float[n][];
      float[] allClips = new float[n * clipSize];
      int total = 0;
      for (int i = 0; i < n; i++) {
        clips[i] = gaussian(rnd, clipSize);
        for (int j = 0; j < clipSize; j++) { // clips that differ in content statistics
          clips[i][j] = clips[i][j] * (1 + 2 * i) + (j % 7 == i ? 3 : 0);
        }
        System.arraycopy(clips[i], 0, allClips, i * clipSize, clipSize);
        boxes[i] = boxes(rnd, perClip[i]);
        total += perClip[i];
      }
      float[] allBoxes = new float[total * 4];
      int[] index = new int[total];
      int k = 0;
      for (int i = 0; i < n; i++) {
        System.arraycopy(boxes[i], 0, allBoxes, k * 4, boxes[i].length);
        for (int j = 0; j < perClip[i]; j++) {
          index[k++] = i;
        }
      }
      float[] djl = djlScores(ex.model, m, allClips, n, allBoxes, index);
      float[] ort = new float[0];
      for (int i = 0; i < n; i++) {
        // clip i with memory over the whole window (back = i, ahead = n-1-i)
        ort = concat(ort, ex.scores(clips, boxes, i, n - 1));
      }
      double diff = maxAbsDiff(djl, ort);
      assertTrue(diff <= TOLERANCE, "max abs diff " + diff);
      // the memory matters: scoring without the neighbours gives other scores
      float[] alone = ex.scores(clips, boxes, 0, 0);
      float[] first = java.util.Arrays.copyOf(djl, alone.length);
      System.out.println(
          "PARITY N-clip diff=" + diff + " memory effect=" + maxAbsDiff(first, alone));
      assertTrue(maxAbsDiff(first, alone) > 1e-3, "memory has no effect on the scores");
    }
  }

  @ParameterizedTest
  @MethodSource("configs")
  void shouldMatchDjlScoresForNonSquareClips(ModelConfig config) throws OrtException {
    try (NDManager m = NDManager.newBaseManager("PyTorch");
        Exported ex = Exported.of(TinyModels.randomised(config, m, 13))) {
      Random rnd = new Random(9);
      Shape shape = new Shape(1, 3, config.frames(), 32, 56);
      float[] clip = gaussian(rnd, (int) shape.size());
      float[] boxes = boxes(rnd, 3);
      float[] djl = djlScores(ex.model, m, clip, shape, 1, boxes, new int[3]);
      Map<String, float[]> enc =
          ex.encoder.run(
              Map.of(
                  GraphContract.CLIP,
                  in(clip, shape.getShape()),
                  GraphContract.BOXES,
                  in(boxes, 3, 4),
                  GraphContract.BOX_CLIP,
                  in(new long[3], 3)));
      Shape fs = ex.model.backbone().getOutputShapes(new Shape[] {shape})[0];
      assertEquals(fs.get(2) * fs.get(3) * fs.get(4), enc.get(GraphContract.WEIGHT)[0], 0.0);
      float[] ort = ex.scores(new float[][] {clip}, new float[][] {boxes}, 0, 0, shape.getShape());
      double diff = maxAbsDiff(djl, ort);
      System.out.println("PARITY non-square diff=" + diff);
      assertTrue(diff <= TOLERANCE, "max abs diff " + diff);
    }
  }

  static Stream<Arguments> batchConfigs() {
    return Stream.of(
        Arguments.of(TinyModels.basic()),
        Arguments.of(TinyModels.bottleneck()),
        Arguments.of(TinyModels.basic().withMemory(io.cmstream.trainer.model.MemoryType.NONE)));
  }

  /** One call on N clips (box_clip) gives, bit for bit, what N calls of one clip give. */
  @ParameterizedTest
  @MethodSource("batchConfigs")
  void shouldEncodeABatchOfClipsExactlyAsEachClipAlone(ModelConfig config) throws OrtException {
    int[] perClip = {2, 0, 3, 1};
    int n = perClip.length;
    try (NDManager m = NDManager.newBaseManager("PyTorch");
        Exported ex = Exported.of(TinyModels.randomised(config, m, 21))) {
      Random rnd = new Random(8);
      int clipSize = (int) ex.model.clipShape(1).size();
      int total = java.util.Arrays.stream(perClip).sum();
      float[][] clips = new float[n][];
      float[][] boxes = new float[n][];
      float[] stacked = new float[n * clipSize];
      float[] allBoxes = new float[total * 4];
      long[] boxClip = new long[total];
      int row = 0;
      for (int i = 0; i < n; i++) {
        clips[i] = gaussian(rnd, clipSize);
        boxes[i] = boxes(rnd, perClip[i]);
        System.arraycopy(clips[i], 0, stacked, i * clipSize, clipSize);
        System.arraycopy(boxes[i], 0, allBoxes, row * 4, boxes[i].length);
        java.util.Arrays.fill(boxClip, row, row + perClip[i], i);
        row += perClip[i];
      }
      Map<String, float[]> batch =
          ex.encoder.run(
              Map.of(
                  GraphContract.CLIP,
                  in(stacked, ex.model.clipShape(n).getShape()),
                  GraphContract.BOXES,
                  in(allBoxes, total, 4),
                  GraphContract.BOX_CLIP,
                  in(boxClip, total)));
      int c = config.channels();
      int cp = config.memoryChannels();
      row = 0;
      for (int i = 0; i < n; i++) {
        int r = perClip[i];
        Map<String, float[]> alone =
            ex.encoder.run(
                Map.of(
                    GraphContract.CLIP,
                    in(clips[i], ex.model.clipShape(1).getShape()),
                    GraphContract.BOXES,
                    in(boxes[i], r, 4),
                    GraphContract.BOX_CLIP,
                    in(new long[r], r)));
        String where = "clip " + i + " (" + r + " boxes)";
        assertArrayEquals(
            alone.get(GraphContract.ROI_FEATS),
            slice(batch.get(GraphContract.ROI_FEATS), row * c, r * c),
            where);
        assertArrayEquals(
            alone.get(GraphContract.KEY), slice(batch.get(GraphContract.KEY), i * cp, cp), where);
        assertArrayEquals(
            alone.get(GraphContract.CONTRIBUTION),
            slice(batch.get(GraphContract.CONTRIBUTION), i * cp * cp, cp * cp),
            where);
        assertArrayEquals(alone.get(GraphContract.WEIGHT), batch.get(GraphContract.WEIGHT), where);
        row += r;
      }
    }
  }

  private static float[] slice(float[] values, int from, int length) {
    return java.util.Arrays.copyOfRange(values, from, from + length);
  }

  static float[] djlScores(
      CmDetector model, NDManager m, float[] clips, int n, float[] boxes, int[] index) {
    return djlScores(model, m, clips, model.clipShape(n), n, boxes, index);
  }

  static float[] djlScores(
      CmDetector model,
      NDManager m,
      float[] clips,
      Shape shape,
      int n,
      float[] boxes,
      int[] index) {
    try (NDManager sub = m.newSubManager()) {
      ParameterStore ps = new ParameterStore(sub, false);
      NDArray c = sub.create(clips, shape);
      NDArray b = sub.create(boxes, new Shape(index.length, 4));
      NDArray i = sub.create(index, new Shape(index.length)).toType(DataType.INT32, false);
      PairList<String, Object> params = new PairList<>();
      params.add(CollaborativeMemory.CLIPS_PARAM, n);
      NDArray logits = model.forward(ps, new NDList(c, b, i), false, params).singletonOrThrow();
      return ai.djl.nn.Activation.sigmoid(logits).toFloatArray();
    }
  }

  /** Exported graphs of one model in two ORT sessions. */
  static final class Exported implements AutoCloseable {
    final CmDetector model;
    final OrtPair encoder;
    final OrtPair head;

    private Exported(CmDetector model, OrtPair encoder, OrtPair head) {
      this.model = model;
      this.encoder = encoder;
      this.head = head;
    }

    static Exported of(CmDetector model) throws OrtException {
      return new Exported(
          model,
          new OrtPair(new EncoderGraph(model).build("test", Map.of())),
          new OrtPair(new ContextHeadGraph(model).build("test", Map.of())));
    }

    /** Scores of clip t whose memory is the sum over clips max(0,t-back) .. t+ahead. */
    float[] scores(float[][] clips, float[][] boxes, int t, int ahead) throws OrtException {
      return scores(clips, boxes, t, ahead, model.clipShape(1).getShape());
    }

    float[] scores(float[][] clips, float[][] boxes, int t, int ahead, long[] clipShape)
        throws OrtException {
      ModelConfig cfg = model.config();
      int cp = cfg.memoryChannels();
      float[] memory = new float[cp * cp];
      float weight = 0;
      Map<String, float[]> self = null;
      for (int i = 0; i <= Math.min(clips.length - 1, t + ahead); i++) {
        int r = boxes[i].length / 4;
        Map<String, float[]> enc =
            encoder.run(
                Map.of(
                    GraphContract.CLIP,
                    in(clips[i], clipShape),
                    GraphContract.BOXES,
                    in(boxes[i], r, 4),
                    GraphContract.BOX_CLIP,
                    in(new long[r], r)));
        float[] contribution = enc.get(GraphContract.CONTRIBUTION);
        for (int j = 0; j < memory.length; j++) {
          memory[j] += contribution[j];
        }
        weight += enc.get(GraphContract.WEIGHT)[0];
        if (i == t) {
          self = enc;
        }
      }
      for (int j = 0; j < memory.length; j++) {
        memory[j] /= weight;
      }
      float[] roi = self.get(GraphContract.ROI_FEATS);
      return head.run(
              Map.of(
                  GraphContract.ROI_FEATS, in(roi, roi.length / cfg.channels(), cfg.channels()),
                  GraphContract.KEY, in(self.get(GraphContract.KEY), cp),
                  GraphContract.MEMORY, in(memory, cp, cp)))
          .get(GraphContract.SCORES);
    }

    @Override
    public void close() throws OrtException {
      encoder.close();
      head.close();
    }
  }

  static float[] boxes(Random rnd, int r) {
    float[] b = new float[r * 4];
    for (int i = 0; i < r; i++) {
      float x1 = rnd.nextFloat() * 0.6f;
      float y1 = rnd.nextFloat() * 0.6f;
      b[i * 4] = x1;
      b[i * 4 + 1] = y1;
      b[i * 4 + 2] = Math.min(1f, x1 + 0.1f + rnd.nextFloat() * 0.4f);
      b[i * 4 + 3] = Math.min(1f, y1 + 0.1f + rnd.nextFloat() * 0.4f);
    }
    if (r > 1) { // one box covering the whole frame, edges included
      b[0] = 0;
      b[1] = 0;
      b[2] = 1;
      b[3] = 1;
    }
    return b;
  }

  static float[] gaussian(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  static float[] concat(float[] a, float[] b) {
    float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length, "lengths");
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
