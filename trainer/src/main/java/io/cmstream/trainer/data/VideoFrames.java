package io.cmstream.trainer.data;

import java.nio.file.Path;

/**
 * The frames of one video from a PySlowFast frame list.
 *
 * @param paths absolute path of frame i (0-based frame_id)
 */
public record VideoFrames(String videoId, Path[] paths) {
  public int frameCount() {
    return paths.length;
  }
}
