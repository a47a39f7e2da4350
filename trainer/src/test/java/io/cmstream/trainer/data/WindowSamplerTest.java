package io.cmstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.clip.KeyframeWindow;
import io.cmstream.trainer.model.MemoryWindows;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowSamplerTest {
  @TempDir Path dir;

  @Test
  void shouldTileEveryVideoIntoConsecutiveWindows() throws IOException {
    AvaSplit s = AvaSplit.load(TinyAvaFixture.write(dir), "train", 0.8, true);
    for (int n : new int[] {1, 3, 5}) {
      WindowSampler sampler = new WindowSampler(s, n, TinyAvaFixture.FPS, WindowSampling.TILED);
      for (int seed = 0; seed < 5; seed++) {
        Map<String, Integer> seen = new HashMap<>();
        for (TrainingWindow w : sampler.epoch(new Random(seed))) {
          assertTrue(w.size() >= 1 && w.size() <= n);
          for (int i = 1; i < w.size(); i++) {
            assertEquals(w.slots().get(i - 1).second() + 1, w.slots().get(i).second());
          }
          for (KeyframeWindow.Slot sl : w.slots()) {
            assertTrue(sl.second() >= 0 && sl.second() < TinyAvaFixture.SECONDS);
            seen.merge(w.videoId() + "," + sl.second(), 1, Integer::sum);
            assertEquals(sl.second() != 2, sl.labelled());
          }
        }
        // every second of the videos is in exactly one window (second 2 may be left out at N=1)
        for (String v : List.of("vidA", "vidB")) {
          for (int sec = 0; sec < TinyAvaFixture.SECONDS; sec++) {
            if (sec != 2 || n > 1) {
              assertEquals(1, seen.getOrDefault(v + "," + sec, 0), v + " " + sec + " N=" + n);
            }
          }
        }
      }
    }
  }

  @Test
  void shouldGiveEveryLabelledSecondItsLossOnceAndItsCentredMemoryWindowWhenSliding()
      throws IOException {
    AvaSplit s = AvaSplit.load(TinyAvaFixture.write(dir), "train", 0.8, true);
    for (int n : new int[] {1, 3, 4, 5}) {
      int back = (n - 1) / 2;
      int ahead = n - 1 - back;
      WindowSampler sampler = new WindowSampler(s, n, TinyAvaFixture.FPS);
      for (int seed = 0; seed < 5; seed++) {
        Map<String, Integer> loss = new HashMap<>();
        for (TrainingWindow w : sampler.epoch(new Random(seed))) {
          assertTrue(
              w.size() >= 1 && w.size() <= 2 * n - 1,
              "example of " + w.size() + " clips at N=" + n);
          assertEquals(back, w.memoryBack());
          assertEquals(ahead, w.memoryAhead());
          int first = w.slots().get(0).second();
          int last = w.slots().get(w.size() - 1).second();
          for (int i = 1; i < w.size(); i++) {
            assertEquals(w.slots().get(i - 1).second() + 1, w.slots().get(i).second());
          }
          MemoryWindows mw =
              MemoryWindows.sliding(new int[] {w.size()}, w.memoryBack(), w.memoryAhead());
          for (int i = 0; i < w.size(); i++) {
            KeyframeWindow.Slot sl = w.slots().get(i);
            assertTrue(sl.second() >= 0 && sl.second() < TinyAvaFixture.SECONDS);
            if (sl.labelled()) {
              assertTrue(sl.second() != 2, "second 2 has no labels");
              loss.merge(w.videoId() + "," + sl.second(), 1, Integer::sum);
              // the clip's memory reads exactly its centred window, clipped to the video only
              int lo = Math.max(0, sl.second() - back);
              int hi = Math.min(TinyAvaFixture.SECONDS - 1, sl.second() + ahead);
              assertTrue(
                  first <= lo && last >= hi,
                  "window of " + sl.second() + " cut by the example at N=" + n);
              assertEquals(lo, w.slots().get(mw.from()[i]).second());
              assertEquals(hi, w.slots().get(mw.to()[i] - 1).second());
            }
          }
        }
        for (String v : List.of("vidA", "vidB")) {
          for (int sec = 0; sec < TinyAvaFixture.SECONDS; sec++) {
            assertEquals(
                sec == 2 ? 0 : 1, loss.getOrDefault(v + "," + sec, 0), v + " " + sec + " N=" + n);
          }
        }
      }
    }
  }

  @Test
  void shouldPackWholeExamplesIntoBatchesOfAtMostBClips() throws IOException {
    AvaSplit s = AvaSplit.load(TinyAvaFixture.write(dir), "train", 0.8, true);
    for (WindowSampling sampling : WindowSampling.values()) {
      WindowSampler sampler = new WindowSampler(s, 3, TinyAvaFixture.FPS, sampling);
      List<TrainingWindow> ws = sampler.epoch(new Random(1));
      List<List<TrainingWindow>> batches = sampler.batches(ws, 6);
      List<TrainingWindow> flat = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) {
        List<TrainingWindow> b = batches.get(i);
        int clips = b.stream().mapToInt(TrainingWindow::size).sum();
        assertTrue(clips <= 6 || b.size() == 1, sampling + ": batch of " + clips + " clips");
        if (i + 1 < batches.size()) { // greedy: the next example did not fit
          assertTrue(clips + batches.get(i + 1).get(0).size() > 6);
        }
        flat.addAll(b);
      }
      assertEquals(ws, flat);
    }
  }

  @Test
  void shouldAssembleClipsBoxesAndTargetsOfLabelledClips() throws IOException {
    AvaSplit s = AvaSplit.load(TinyAvaFixture.write(dir), "train", 0.8, true);
    WindowSampler sampler = new WindowSampler(s, 3, TinyAvaFixture.FPS);
    BatchAssembler a =
        new BatchAssembler(
            s,
            new io.cmstream.common.clip.ClipSpec(
                4,
                2,
                TinyAvaFixture.FPS,
                32,
                32,
                io.cmstream.common.clip.ClipSpec.DEFAULT_MEAN,
                io.cmstream.common.clip.ClipSpec.DEFAULT_STD));
    List<TrainingWindow> ws = sampler.epoch(new Random(2)).subList(0, 2);
    ClipBatch b = a.training(ws, new Random(3));
    int clips = ws.get(0).size() + ws.get(1).size();
    assertEquals(clips, b.clipCount());
    assertEquals(clips * 3 * 4 * 32 * 32, b.clips().length);
    long labelled = ws.get(0).labelledClips() + ws.get(1).labelledClips();
    assertTrue(b.boxCount() <= labelled * 4 && b.boxCount() > 0);
    for (int i = 1; i < b.boxCount(); i++) {
      assertTrue(b.boxClip()[i] >= b.boxClip()[i - 1]);
    }
    assertEquals(b.boxCount() * 2, b.targets().length);
    // each example's clips read their sliding windows inside that example only
    MemoryWindows mw = b.memoryWindows();
    int w0 = ws.get(0).size();
    for (int i = 0; i < clips; i++) {
      int lo = i < w0 ? 0 : w0;
      int hi = i < w0 ? w0 : clips;
      assertEquals(Math.max(lo, i - 1), mw.from()[i]);
      assertEquals(Math.min(hi, i + 2), mw.to()[i]);
    }
  }
}
