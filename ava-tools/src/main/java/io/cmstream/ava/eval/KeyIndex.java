package io.cmstream.ava.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense ids for (video, second) keys, shared by every file of one evaluation. Two keys are the same
 * when the video ids are equal and the timestamps are the same integer (as the reference's {@code
 * "%s,%04d" % (video_id, int(timestamp))}). Not thread-safe: filled by one thread.
 */
final class KeyIndex {
  private final Map<String, Integer> videoIds = new HashMap<>();
  private final List<String> videos = new ArrayList<>();
  private final Map<Long, Integer> keyIds = new HashMap<>();
  private int[] keyVideo = new int[1024];
  private int[] keyTimestamp = new int[1024];
  private int size;

  int video(String name) {
    Integer id = videoIds.get(name);
    if (id == null) {
      id = videos.size();
      videoIds.put(name, id);
      videos.add(name);
    }
    return id;
  }

  int key(int video, int timestamp) {
    long packed = ((long) video << 32) | (timestamp & 0xffffffffL);
    Integer id = keyIds.get(packed);
    if (id == null) {
      id = size;
      if (size == keyVideo.length) {
        keyVideo = java.util.Arrays.copyOf(keyVideo, size * 2);
        keyTimestamp = java.util.Arrays.copyOf(keyTimestamp, size * 2);
      }
      keyVideo[size] = video;
      keyTimestamp[size] = timestamp;
      size++;
      keyIds.put(packed, id);
    }
    return id;
  }

  int size() {
    return size;
  }

  /** The key as AVA prints it: {@code video_id,%04d}. */
  String name(int key) {
    return String.format("%s,%04d", videos.get(keyVideo[key]), keyTimestamp[key]);
  }
}
