package io.cmstream.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bundle opened by {@link ModelBundle}: its runners on real ONNX Runtime sessions against a
 * plain-Java reference.
 */
class BundleInferenceTest {

  private static final float TOLERANCE = 1e-5f;
  private static final TinyBundle TINY = TinyBundle.small();

  @TempDir static Path dir;
  private static ModelBundle bundle;

  @BeforeAll
  static void open() throws IOException {
    bundle = ModelBundle.open(TINY.write(dir), SessionSettings.on(Device.CPU));
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5})
  void shouldEncodeLikeTheReferenceForAnyNumberOfBoxes(int boxes) {
    Random random = new Random(boxes);
    float[] clip = TINY.randomClip(random);
    float[] box = TinyBundle.randomBoxes(random, boxes);

    EncoderOutput actual = encode(clip, box);
    EncoderOutput expected = TINY.encode(clip, box);

    assertEquals(boxes, actual.boxes());
    assertArrayEquals(expected.roiFeats(), actual.roiFeats(), TOLERANCE);
    assertArrayEquals(expected.key(), actual.key(), TOLERANCE);
    assertArrayEquals(expected.contribution(), actual.contribution(), TOLERANCE * 100);
    assertEquals(expected.weight(), actual.weight());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5})
  void shouldScoreLikeTheReferenceForAnyNumberOfBoxes(int boxes) throws OrtException {
    Random random = new Random(10 + boxes);
    EncoderOutput clip = encode(TINY.randomClip(random), TinyBundle.randomBoxes(random, boxes));
    Memory memory = Memory.at(bundle.window(), 0, Map.of(0, MemoryContribution.of(clip)));

    float[][] actual = bundle.contextHead().scores(clip, memory.matrix());
    float[][] expected = TINY.scores(clip, memory.matrix());

    assertEquals(boxes, actual.length);
    for (int b = 0; b < boxes; b++) {
      assertEquals(TINY.k, actual[b].length);
      assertArrayEquals(expected[b], actual[b], TOLERANCE);
    }
  }

  @Test
  void shouldGiveTheSameScoresStreamedAsFromTheWholeWindowAtOnce() throws OrtException {
    Random random = new Random(99);
    Map<Integer, EncoderOutput> clips = new TreeMap<>();
    for (int second = 10; second <= 14; second++) {
      clips.put(second, encode(TINY.randomClip(random), TinyBundle.randomBoxes(random, 2)));
    }
    Map<Integer, MemoryContribution> contributions = new TreeMap<>();
    clips.forEach((s, e) -> contributions.put(s, MemoryContribution.of(e)));

    Memory memory = Memory.at(bundle.window(), 12, contributions);

    assertEquals(List.of(10, 11, 12, 13), memory.seconds(), "back 2, ahead 1");
    float[] direct = new float[TINY.cp * TINY.cp];
    float weight = 0;
    for (int s = 10; s <= 13; s++) {
      float[] m = clips.get(s).contribution();
      for (int i = 0; i < direct.length; i++) {
        direct[i] += m[i];
      }
      weight += clips.get(s).weight();
    }
    for (int i = 0; i < direct.length; i++) {
      direct[i] /= weight;
    }
    assertArrayEquals(direct, memory.matrix(), 1e-6f);
    float[][] expected = TINY.scores(clips.get(12), direct);
    float[][] actual = bundle.contextHead().scores(clips.get(12), memory.matrix());
    for (int b = 0; b < 2; b++) {
      assertArrayEquals(expected[b], actual[b], TOLERANCE);
    }
  }

  @Test
  void shouldRefuseAMemoryOfTheWrongSize() throws OrtException {
    EncoderOutput clip = encode(new float[3 * TINY.t * TINY.h * TINY.w], new float[4]);
    assertThrows(
        IllegalArgumentException.class,
        () -> bundle.contextHead().scores(clip.roiFeats(), clip.boxes(), clip.key(), new float[4]));
  }

  private static EncoderOutput encode(float[] clip, float[] boxes) {
    try {
      return bundle.encoder().encode(clip, TINY.t, TINY.h, TINY.w, boxes);
    } catch (OrtException e) {
      throw new AssertionError(e);
    }
  }
}
