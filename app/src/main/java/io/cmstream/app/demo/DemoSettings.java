package io.cmstream.app.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the demo runs.
 *
 * @param bundle model bundle folder
 * @param out output folder (detections CSV, annotated MP4, report)
 * @param realtime pace the video like a camera
 * @param ahead lookahead seconds of the memory window (null: the model's training ahead)
 * @param kafkaPort embedded broker port (0: a free one)
 * @param httpPort detector health/metrics port (0: a free one, -1: none)
 * @param drainTimeout how long to wait for the last detections after the stream ended
 * @param liveTerminal refresh one status line in place (false: print a line per update)
 * @param commitIntervalMs the detector's commit interval (null: the service's default)
 */
public record DemoSettings(
    Path bundle,
    Path out,
    boolean realtime,
    Integer ahead,
    int kafkaPort,
    int httpPort,
    Duration drainTimeout,
    boolean liveTerminal,
    Integer commitIntervalMs) {}
