package io.cmstream.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cmstream.trainer.model.MemoryType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchCmResultTest {

  private static BenchCmResult.Scores scores(double base) {
    Map<String, Double> ap = new LinkedHashMap<>();
    ap.put("1", base);
    ap.put("2", null);
    Map<String, Map<String, Double>> perClass = new LinkedHashMap<>();
    perClass.put("stage1", ap);
    Map<String, Double> byClips = new LinkedHashMap<>();
    byClips.put("1", base + 1);
    byClips.put("3", base + 3);
    byClips.put("5", base + 5);
    Map<String, Double> byMemory = new LinkedHashMap<>();
    byMemory.put("none", base + 10);
    byMemory.put("default", base + 5);
    return new BenchCmResult.Scores(byClips, byMemory, perClass);
  }

  @Test
  void shouldWriteTheFieldNamesOtherToolsRead() throws Exception {
    BenchCmResult r =
        new BenchCmResult(scores(50), Map.of("N5-none", 0.5), Map.of("stage1", 0.25), scores(70));

    assertEquals(
        "{\"by_clips\":{\"1\":51.0,\"3\":53.0,\"5\":55.0},"
            + "\"by_memory\":{\"none\":60.0,\"default\":55.0},"
            + "\"per_class\":{\"stage1\":{\"1\":50.0,\"2\":null}},"
            + "\"step_seconds\":{\"N5-none\":0.5},"
            + "\"train_step_seconds\":{\"stage1\":0.25},"
            + "\"gt_boxes\":{\"by_clips\":{\"1\":71.0,\"3\":73.0,\"5\":75.0},"
            + "\"by_memory\":{\"none\":80.0,\"default\":75.0},"
            + "\"per_class\":{\"stage1\":{\"1\":70.0,\"2\":null}}}}",
        new ObjectMapper().writeValueAsString(r));
  }

  @Test
  void shouldFindTheMapOfARunByItsWindowAndMemory() {
    BenchCmResult.Scores s = scores(50);

    assertEquals(53.0, s.of(new CmBenchmark.RunSpec("N3-default", 3, MemoryType.DEFAULT)));
    assertEquals(60.0, s.of(new CmBenchmark.RunSpec("N5-none", 5, MemoryType.NONE)));
  }
}
