package io.cmstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.clip.KeyframeWindow;
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
  void shouldTrainEveryLabelledSecondOncePerEpochInConsecutiveWindows() throws IOException {
    AvaSplit s = AvaSplit.load(TinyAvaFixture.write(dir), "train", 0.8, true);
    for (int n : new int[] {1, 3, 5}) {
      WindowSampler sampler = new WindowSampler(s, n, TinyAvaFixture.FPS);
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
  void shouldPutBOverNWindowsInABatch() throws IOException {
    AvaSplit s = AvaSplit.load(TinyAvaFixture.write(dir), "train", 0.8, true);
    WindowSampler sampler = new WindowSampler(s, 3, TinyAvaFixture.FPS);
    List<TrainingWindow> ws = sampler.epoch(new Random(1));
    List<List<TrainingWindow>> batches = sampler.batches(ws, 6);
    assertEquals(sampler.batchCount(ws.size(), 6), batches.size());
    List<TrainingWindow> flat = new ArrayList<>();
    batches.forEach(b -> {
      assertTrue(b.size() <= 2);
      flat.addAll(b);
    });
    assertEquals(ws, flat);
  }

  @Test
  void shouldAssembleClipsBoxesAndTargetsOfLabelledClips() throws IOException {
    AvaSplit s = AvaSplit.load(TinyAvaFixture.write(dir), "train", 0.8, true);
    WindowSampler sampler = new WindowSampler(s, 3, TinyAvaFixture.FPS);
    BatchAssembler a = new BatchAssembler(s, new io.cmstream.ava.clip.ClipSpec(4, 2, TinyAvaFixture.FPS, 32, 32,
        io.cmstream.ava.clip.ClipSpec.DEFAULT_MEAN, io.cmstream.ava.clip.ClipSpec.DEFAULT_STD));
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
  }
}
