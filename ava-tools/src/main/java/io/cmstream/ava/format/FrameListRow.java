package io.cmstream.ava.format;

/**
 * One row of a PySlowFast frame list ({@code frame_lists/train.csv}, space separated, with the
 * header {@code original_vido_id video_idx frame_id path labels}).
 */
public record FrameListRow(
    String originalVideoId, int videoIndex, int frameId, String path, String labels) {
  public FrameListRow {
    if (originalVideoId.isEmpty() || path.isEmpty()) {
      throw new IllegalArgumentException("video id and path must be non-empty");
    }
    if (videoIndex < 0 || frameId < 0) {
      throw new IllegalArgumentException("video index and frame id must be >= 0");
    }
    for (String s : new String[] {originalVideoId, path, labels}) {
      if (s.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "frame-list fields must not contain spaces: '" + s + "'");
      }
    }
  }

  /** A row with the empty label column ({@code ""}) that AVA's frame lists carry. */
  public FrameListRow(String originalVideoId, int videoIndex, int frameId, String path) {
    this(originalVideoId, videoIndex, frameId, path, "\"\"");
  }

  public String toLine() {
    return originalVideoId + " " + videoIndex + " " + frameId + " " + path + " " + labels;
  }
}
