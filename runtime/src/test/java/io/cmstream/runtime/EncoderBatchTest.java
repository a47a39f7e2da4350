package io.cmstream.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EncoderRunner#encodeBatch}: a batch of clips with different box counts (0 included) gives
 * exactly what encoding each clip alone gives, on the batched encoder of the demo bundle (the
 * trainer's exporter, format 2), on {@link TinyCmModel} (format 2, ONNX's RoiAlign) and on a
 * format-1 bundle ({@link TinyBundle}, one call per clip).
 */
class EncoderBatchTest {

  private static final Path DEMO = Path.of(System.getProperty("cm.demo.bundle", "../models/demo"));
  private static final Path DEMO_V1 = Path.of("src/test/resources/demo-v1");
  private static final double SCORE_TOLERANCE = 1e-6;

  @TempDir Path dir;

  @Test
  void demoBundleShouldEncodeABatchExactlyAsEachClipAlone() throws OrtException {
    try (ModelBundle bundle = ModelBundle.open(DEMO, SessionSettings.on(Device.CPU))) {
      assertTrue(bundle.manifest().batchedEncoder(), "the demo bundle is format 2");
      assertTrue(bundle.encoder().batched());
      // 96 x 128: the short side of the demo's clips, a 4:3 frame
      assertBatchEqualsAlone(bundle.encoder(), clips(3, 4, 96, 128, 1, 0, 3, 2, 0));
      assertBatchEqualsAlone(bundle.encoder(), clips(4, 4, 96, 128, 0, 0));
    }
  }

  /**
   * The demo bundle re-exported with the batched encoder (formatVersion 2) scores as the one-clip
   * encoder exported before it (formatVersion 1, src/test/resources/demo-v1): same parameters, same
   * arithmetic but for the order of some sums.
   */
  @Test
  void demoBundleShouldScoreAsItsFormatOneExport() throws OrtException {
    try (ModelBundle v2 = ModelBundle.open(DEMO, SessionSettings.on(Device.CPU));
        ModelBundle v1 = ModelBundle.open(DEMO_V1, SessionSettings.on(Device.CPU))) {
      assertFalse(v1.encoder().batched());
      List<EncoderInput> clips = clips(9, 4, 96, 128, 3, 0, 5);
      List<EncoderOutput> a = v1.encoder().encodeBatch(clips);
      List<EncoderOutput> b = v2.encoder().encodeBatch(clips);
      MemoryWindow ma = new MemoryWindow(16);
      MemoryWindow mb = new MemoryWindow(16);
      a.forEach(ma::add);
      b.forEach(mb::add);
      double features = 0;
      double scores = 0;
      for (int i = 0; i < clips.size(); i++) {
        features = Math.max(features, maxAbsDiff(a.get(i).roiFeats(), b.get(i).roiFeats()));
        features = Math.max(features, maxAbsDiff(a.get(i).key(), b.get(i).key()));
        features = Math.max(features, maxAbsDiff(a.get(i).contribution(), b.get(i).contribution()));
        assertEquals(a.get(i).weight(), b.get(i).weight());
        float[][] sa = v1.contextHead().scores(a.get(i), ma.memory());
        float[][] sb = v2.contextHead().scores(b.get(i), mb.memory());
        for (int r = 0; r < sa.length; r++) {
          scores = Math.max(scores, maxAbsDiff(sa[r], sb[r]));
        }
      }
      System.out.printf(
          "demo formatVersion 1 vs 2: max |diff| encoder outputs %.3g, scores %.3g%n",
          features, scores);
      assertTrue(scores <= SCORE_TOLERANCE, "scores differ by " + scores);
    }
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs((double) a[i] - b[i]));
    }
    return d;
  }

  @Test
  void tinyCmModelShouldEncodeABatchExactlyAsEachClipAlone() throws OrtException, IOException {
    try (ModelBundle bundle =
        ModelBundle.open(TinyCmModel.write(dir, 3), SessionSettings.on(Device.CPU))) {
      assertTrue(bundle.encoder().batched());
      assertBatchEqualsAlone(bundle.encoder(), clips(5, 4, 32, 48, 2, 0, 1, 4));
    }
  }

  @Test
  void formatOneBundleShouldEncodeABatchOneClipPerCall() throws OrtException, IOException {
    TinyBundle tiny = TinyBundle.small();
    try (ModelBundle bundle = ModelBundle.open(tiny.write(dir), SessionSettings.on(Device.CPU))) {
      assertFalse(bundle.manifest().batchedEncoder(), "TinyBundle writes format 1");
      assertFalse(bundle.encoder().batched());
      List<EncoderInput> clips = clips(6, tiny.t, tiny.h, tiny.w, 1, 0, 2);
      assertBatchEqualsAlone(bundle.encoder(), clips);
      List<EncoderOutput> out = bundle.encoder().encodeBatch(clips);
      for (int i = 0; i < clips.size(); i++) {
        EncoderOutput expected = tiny.encode(clips.get(i).clip(), clips.get(i).boxes());
        assertArrayEquals(expected.key(), out.get(i).key(), 1e-5f);
      }
    }
  }

  @Test
  void shouldRefuseClipsOfDifferentSizesInOneCall() throws IOException {
    try (ModelBundle bundle =
        ModelBundle.open(TinyCmModel.write(dir, 3), SessionSettings.on(Device.CPU))) {
      List<EncoderInput> mixed = new ArrayList<>(clips(7, 4, 32, 48, 1));
      mixed.addAll(clips(8, 4, 32, 32, 1));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> bundle.encoder().encodeBatch(mixed));
      assertEquals(
          "the clips of one encoder call must have the same T,H,W: clip 0 is 4x32x48, clip 1 is"
              + " 4x32x32",
          e.getMessage());
    }
  }

  @Test
  void shouldEncodeAnEmptyBatchToNothing() throws OrtException, IOException {
    try (ModelBundle bundle =
        ModelBundle.open(TinyCmModel.write(dir, 3), SessionSettings.on(Device.CPU))) {
      assertEquals(List.of(), bundle.encoder().encodeBatch(List.of()));
    }
  }

  /** Each output of the batch equals, bit for bit, the clip encoded alone. */
  static void assertBatchEqualsAlone(EncoderRunner encoder, List<EncoderInput> clips)
      throws OrtException {
    List<EncoderOutput> batch = encoder.encodeBatch(clips);
    assertEquals(clips.size(), batch.size());
    for (int i = 0; i < clips.size(); i++) {
      EncoderInput c = clips.get(i);
      EncoderOutput alone = encoder.encode(c.clip(), c.frames(), c.height(), c.width(), c.boxes());
      EncoderOutput batched = batch.get(i);
      String where = "clip " + i + " of " + clips.size() + " (" + c.boxCount() + " boxes)";
      assertEquals(alone.boxes(), batched.boxes(), where);
      assertArrayEquals(alone.roiFeats(), batched.roiFeats(), where + " roi_feats");
      assertArrayEquals(alone.key(), batched.key(), where + " key");
      assertArrayEquals(alone.contribution(), batched.contribution(), where + " contribution");
      assertEquals(alone.weight(), batched.weight(), where + " weight");
    }
  }

  /** Random clips of one size with the given box counts. */
  static List<EncoderInput> clips(long seed, int t, int h, int w, int... boxCounts) {
    Random random = new Random(seed);
    List<EncoderInput> out = new ArrayList<>();
    for (int r : boxCounts) {
      float[] clip = new float[3 * t * h * w];
      for (int i = 0; i < clip.length; i++) {
        clip[i] = (float) random.nextGaussian();
      }
      out.add(new EncoderInput(clip, t, h, w, TinyBundle.randomBoxes(random, r)));
    }
    return out;
  }
}
