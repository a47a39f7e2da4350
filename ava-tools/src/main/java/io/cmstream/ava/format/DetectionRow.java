package io.cmstream.ava.format;

/** One detection row: {@code video_id,timestamp,x1,y1,x2,y2,action_id,score}. */
public record DetectionRow(FrameKey key, Box box, int actionId, double score) {
  public DetectionRow(String videoId, int timestamp, Box box, int actionId, double score) {
    this(new FrameKey(videoId, timestamp), box, actionId, score);
  }

  public String toCsv() {
    return key + "," + box.toCsv() + "," + actionId + "," + AvaCsv.number(score);
  }
}
