package io.cmstream.ava.format;

/**
 * One ground-truth row: {@code video_id,timestamp,x1,y1,x2,y2,action_id,person_id}. Several rows
 * with the same key and box are one person doing several actions.
 */
public record GroundTruthRow(FrameKey key, Box box, int actionId, int personId) {
  public GroundTruthRow(String videoId, int timestamp, Box box, int actionId, int personId) {
    this(new FrameKey(videoId, timestamp), box, actionId, personId);
  }

  public String toCsv() {
    return key + "," + box.toCsv() + "," + actionId + "," + personId;
  }
}
