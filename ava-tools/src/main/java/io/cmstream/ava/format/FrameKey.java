package io.cmstream.ava.format;

import java.util.Objects;

/** One AVA keyframe: a video and an integer second. Prints as {@code video_id,%04d}. */
public record FrameKey(String videoId, int timestamp) implements Comparable<FrameKey> {
  public FrameKey {
    Objects.requireNonNull(videoId, "videoId");
    if (videoId.isEmpty() || videoId.indexOf(',') >= 0) {
      throw new IllegalArgumentException(
          "video id must be non-empty and without commas: '" + videoId + "'");
    }
    if (timestamp < 0) {
      throw new IllegalArgumentException("timestamp must be >= 0, got " + timestamp);
    }
  }

  @Override
  public String toString() {
    return String.format("%s,%04d", videoId, timestamp);
  }

  @Override
  public int compareTo(FrameKey o) {
    int c = videoId.compareTo(o.videoId);
    return c != 0 ? c : Integer.compare(timestamp, o.timestamp);
  }
}
