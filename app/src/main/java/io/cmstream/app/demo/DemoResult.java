package io.cmstream.app.demo;

import java.util.List;
import java.util.Map;

/**
 * What a demo run produced, before writing files.
 *
 * @param received detections per second (newest record per second)
 * @param records detection records read (more than seconds means a duplicate was emitted)
 * @param clipsStreamed clips the streamer published
 * @param latenciesMs end-to-end latency of each detection record
 * @param streamSeconds wall time from the first clip to the last detection
 * @param mediaSeconds seconds of video streamed
 * @param stopped the run was interrupted (Ctrl-C)
 * @param latencyFloorMs the earliest a detection can be read after its keyframe's capture: the
 *     lookahead plus half the clip's span
 */
public record DemoResult(
    Map<Integer, DetectionCollector.Received> received,
    long records,
    int clipsStreamed,
    List<Long> latenciesMs,
    double streamSeconds,
    double mediaSeconds,
    boolean stopped,
    long latencyFloorMs) {}
