package io.cmstream.ava.format;

import java.util.OptionalInt;

/**
 * One person proposal (an AVA "predicted box", as PySlowFast reads {@code
 * ava_detection_val_boxes_and_labels.csv}): {@code video_id,timestamp,x1,y1,x2,y2,,score}. The
 * seventh column is empty or -1 for a plain person box; some files carry an action id there.
 */
public record ProposalRow(FrameKey key, Box box, OptionalInt actionId, double score) {
  public ProposalRow(String videoId, int timestamp, Box box, double score) {
    this(new FrameKey(videoId, timestamp), box, OptionalInt.empty(), score);
  }

  public String toCsv() {
    String action = actionId.isPresent() ? Integer.toString(actionId.getAsInt()) : "";
    return key + "," + box.toCsv() + "," + action + "," + AvaCsv.number(score);
  }
}
