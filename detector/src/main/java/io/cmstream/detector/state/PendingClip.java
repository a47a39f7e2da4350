package io.cmstream.detector.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An encoded clip waiting for its memory window to complete: what the context head needs (RoI
 * features, key) plus what the detection record carries (boxes, timing).
 *
 * @param boxes person boxes, 5 floats each: x1, y1, x2, y2, score
 * @param roiFeats [R, channels] row-major
 * @param key [C'] the clip's key, mean of theta(X)
 * @param captureTimeMs capture time from the clip record, or -1 when unknown
 * @param clipTimestampMs Kafka timestamp of the clip record
 * @param encodeMs encoder inference time
 * @param pendedAtMs wall-clock time the clip was stored (for the timeout)
 * @param lastFrameCaptureTimeMs capture time of the clip's last frame, or -1 when unknown
 * @param receivedTimeMs when the detector took the clip record (-1: stored by an older version)
 * @param encodedTimeMs when the encoder had finished with it (-1: stored by an older version)
 */
public record PendingClip(
    String streamId,
    int second,
    float[] boxes,
    int channels,
    float[] roiFeats,
    float[] key,
    long captureTimeMs,
    long clipTimestampMs,
    double encodeMs,
    long pendedAtMs,
    long lastFrameCaptureTimeMs,
    long receivedTimeMs,
    long encodedTimeMs) {

  /** A pending clip without the per-step times (as older versions stored it). */
  public PendingClip(
      String streamId,
      int second,
      float[] boxes,
      int channels,
      float[] roiFeats,
      float[] key,
      long captureTimeMs,
      long clipTimestampMs,
      double encodeMs,
      long pendedAtMs) {
    this(
        streamId,
        second,
        boxes,
        channels,
        roiFeats,
        key,
        captureTimeMs,
        clipTimestampMs,
        encodeMs,
        pendedAtMs,
        -1,
        -1,
        -1);
  }

  public int boxCount() {
    return boxes.length / 5;
  }

  public byte[] toBytes() {
    byte[] id = streamId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf =
        ByteBuffer.allocate(
            4
                + id.length
                + 4
                + 4
                + 4 * boxes.length
                + 8
                + 4 * roiFeats.length
                + 4
                + 4 * key.length
                + 8 * 7);
    buf.putInt(id.length).put(id).putInt(second);
    putFloats(buf, boxes);
    buf.putInt(channels);
    putFloats(buf, roiFeats);
    putFloats(buf, key);
    buf.putLong(captureTimeMs).putLong(clipTimestampMs).putDouble(encodeMs).putLong(pendedAtMs);
    buf.putLong(lastFrameCaptureTimeMs).putLong(receivedTimeMs).putLong(encodedTimeMs);
    return buf.array();
  }

  public static PendingClip fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    byte[] id = new byte[buf.getInt()];
    buf.get(id);
    int second = buf.getInt();
    float[] boxes = getFloats(buf);
    int channels = buf.getInt();
    float[] roi = getFloats(buf);
    float[] key = getFloats(buf);
    long capture = buf.getLong();
    long clipTimestamp = buf.getLong();
    double encodeMs = buf.getDouble();
    long pendedAt = buf.getLong();
    // the per-step times were appended later: a value stored before has none
    boolean times = buf.remaining() >= 3 * 8;
    return new PendingClip(
        new String(id, StandardCharsets.UTF_8),
        second,
        boxes,
        channels,
        roi,
        key,
        capture,
        clipTimestamp,
        encodeMs,
        pendedAt,
        times ? buf.getLong() : -1,
        times ? buf.getLong() : -1,
        times ? buf.getLong() : -1);
  }

  private static void putFloats(ByteBuffer buf, float[] values) {
    buf.putInt(values.length);
    for (float v : values) {
      buf.putFloat(v);
    }
  }

  private static float[] getFloats(ByteBuffer buf) {
    float[] values = new float[buf.getInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = buf.getFloat();
    }
    return values;
  }
}
