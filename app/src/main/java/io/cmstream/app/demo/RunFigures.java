package io.cmstream.app.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code run.json} of the demo: the figures of one run (the field names are read by the report and
 * other tools: keep them). Latencies in milliseconds (null when no detection was read), seconds
 * rounded to 0.01.
 */
public record RunFigures(
    String model,
    @JsonProperty("memory_window") String memoryWindow,
    @JsonProperty("seconds_streamed") int secondsStreamed,
    @JsonProperty("seconds_detected") int secondsDetected,
    @JsonProperty("detection_records") long detectionRecords,
    @JsonProperty("media_seconds") double mediaSeconds,
    @JsonProperty("wall_seconds") double wallSeconds,
    @JsonProperty("clips_per_second") double clipsPerSecond,
    @JsonProperty("latency_ms_p50") Long latencyP50,
    @JsonProperty("latency_ms_p95") Long latencyP95,
    @JsonProperty("latency_ms_max") Long latencyMax,
    @JsonProperty("latency_ms_first") Long latencyFirst,
    @JsonProperty("latency_floor_ms") long latencyFloor,
    @JsonProperty("stopped_early") boolean stoppedEarly,
    @JsonProperty("latency_ms") List<Long> latencies,
    @JsonProperty("latency_stages_ms") LatencyStages.Figures latencyStages,
    @JsonProperty("latency_stages_ms_first") Map<String, Long> latencyStagesFirst) {}
