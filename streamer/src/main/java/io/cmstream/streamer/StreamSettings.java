package io.cmstream.streamer;

import io.cmstream.common.clip.ClipSpec;

/**
 * What to stream and how.
 *
 * @param input file path, stream URL (rtsp://, http://, ...) or webcam ({@code webcam:0})
 * @param inputFormat FFmpeg input format to force, or null to probe
 * @param spec clip sampling (fps, T, stride) and the short side frames are resized to
 * @param sendShortSide short side of the JPEG frames sent (0 = as decoded)
 * @param jpegQuality JPEG quality 1..100
 * @param realtime pace a file like a camera (live sources are always real time)
 * @param firstSecond record second of the first second of the input
 * @param reconnect how lost network streams are reopened
 * @param timeoutMillis network I/O timeout
 */
public record StreamSettings(
    String input,
    String inputFormat,
    ClipSpec spec,
    int sendShortSide,
    int jpegQuality,
    boolean realtime,
    int firstSecond,
    ReconnectPolicy reconnect,
    int timeoutMillis) {}
