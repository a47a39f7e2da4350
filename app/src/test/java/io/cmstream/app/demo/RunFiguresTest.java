package io.cmstream.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunFiguresTest {

  @Test
  void shouldWriteTheFieldNamesOfRunJson() throws Exception {
    DemoResult r = new DemoResult(Map.of(), 4, 5, List.of(30L, 10L, 20L), 2.0, 5.0, false, 1500);

    JsonNode json =
        new ObjectMapper()
            .readTree(new ObjectMapper().writeValueAsString(DemoOutputs.figures(r, "m", 2, 1)));

    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertEquals(
        List.of(
            "model",
            "memory_window",
            "seconds_streamed",
            "seconds_detected",
            "detection_records",
            "media_seconds",
            "wall_seconds",
            "clips_per_second",
            "latency_ms_p50",
            "latency_ms_p95",
            "latency_ms_max",
            "latency_ms_first",
            "latency_floor_ms",
            "stopped_early",
            "latency_ms",
            "latency_stages_ms",
            "latency_stages_ms_first"),
        names);
    assertEquals("[t-2, t+1]", json.get("memory_window").asText());
    assertEquals(20, json.get("latency_ms_p50").asLong());
    assertEquals(30, json.get("latency_ms_max").asLong());
    assertTrue(json.get("latency_ms_first").isNull());
    assertEquals(2.5, json.get("clips_per_second").asDouble());
    assertEquals("[30,10,20]", json.get("latency_ms").toString());
  }

  @Test
  void shouldBreakLatencyIntoTheNamedStages() throws Exception {
    JsonNode stages =
        new ObjectMapper()
            .readTree(new ObjectMapper().writeValueAsString(LatencyStages.figures(List.of())));

    List<String> names = new ArrayList<>();
    stages.fieldNames().forEachRemaining(names::add);
    List<String> expected = new ArrayList<>(List.of("detections"));
    expected.addAll(LatencyStages.NAMES);
    assertEquals(expected, names);
    assertEquals(0, stages.get("detections").asInt());
    assertTrue(stages.get("streamer").get("p50").isNull());
    assertTrue(stages.get("streamer").has("p95"));
  }
}
