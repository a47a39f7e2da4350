package io.cmstream.streamer.clip;

import io.cmstream.streamer.persons.PersonBox;
import java.util.List;

/**
 * One clip centred on keyframe second {@code second}: JPEG frames at the model's fps, the media
 * time (from the start of the video) of the source frame each one came from, and the person boxes
 * of the keyframe.
 *
 * @param captureTimeMs wall-clock time the keyframe was captured (epoch ms), null for files read
 *     faster than real time
 * @param lastFrameCaptureTimeMs wall-clock time the clip's last frame was captured (epoch ms): the
 *     earliest the clip could exist; null when capture times are unknown
 * @param sentFromSecond first second of the uninterrupted run of clips this one belongs to (the
 *     stream's start, or where it resumed after a gap): the seconds before it were sent before
 */
public record Clip(
    int second,
    long mediaTimeMs,
    Long captureTimeMs,
    Long lastFrameCaptureTimeMs,
    double fps,
    int width,
    int height,
    List<byte[]> frames,
    List<Long> frameSourceMicros,
    List<PersonBox> boxes,
    boolean endOfStream,
    int sentFromSecond) {

  public Clip {
    frames = List.copyOf(frames);
    frameSourceMicros = List.copyOf(frameSourceMicros);
    boxes = List.copyOf(boxes);
  }

  public Clip asEndOfStream() {
    return new Clip(
        second,
        mediaTimeMs,
        captureTimeMs,
        lastFrameCaptureTimeMs,
        fps,
        width,
        height,
        frames,
        frameSourceMicros,
        boxes,
        true,
        sentFromSecond);
  }

  /** Total JPEG bytes of the frames. */
  public long frameBytes() {
    long n = 0;
    for (byte[] f : frames) {
      n += f.length;
    }
    return n;
  }
}
