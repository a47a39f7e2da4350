package io.cmstream.streamer.clip;

import io.cmstream.ava.clip.FrameDirectory;
import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.streamer.StreamListener;
import io.cmstream.streamer.StreamSummary;
import io.cmstream.streamer.persons.PersonBoxSource;
import io.cmstream.streamer.publish.ClipSink;
import io.cmstream.streamer.publish.EndOfStreamMarker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Clips cut from a dataset's frame folder ({@code <root>/<vid>/<vid>_<n:06d>.jpg}, frames at the
 * model's fps) instead of a decoded video: the JPEG bytes of the files go into the clip as they
 * are, so the detector decodes exactly the pixels {@code trainer infer} decodes. The seconds and
 * frame indices are the trainer's: keyframe seconds {@code 0 .. floor((n-1)/fps)} of a folder of
 * {@code n} frames, frames from {@link ClipSpec#frameIndices} (clamped at both ends); the record
 * second is {@code firstSecond} plus the local second (900 for AVA's frames from minute 15).
 */
public final class FrameFolderClips {
  private final FrameDirectory frames;
  private final ClipSpec spec;
  private final int firstSecond;

  public FrameFolderClips(Path framesRoot, String videoId, ClipSpec spec, int firstSecond) {
    this.frames = new FrameDirectory(framesRoot, videoId);
    this.spec = spec;
    this.firstSecond = firstSecond;
  }

  /**
   * Number of keyframe seconds: those whose keyframe is in the folder (the trainer's second range).
   */
  public int seconds() {
    return (int) Math.floor((frames.frameCount() - 1) / spec.fps() + 1e-9) + 1;
  }

  /** The clip of local keyframe second {@code local} with the person boxes of its record second. */
  public Clip clip(int local, PersonBoxSource persons) {
    int[] idx = spec.frameIndices(local, frames.frameCount());
    List<byte[]> jpegs = new ArrayList<>(idx.length);
    List<Long> sources = new ArrayList<>(idx.length);
    for (int i : idx) {
      jpegs.add(frames.jpeg(i));
      sources.add(Math.round(i / spec.fps() * 1e6));
    }
    RgbImage first = JpegCodec.decode(jpegs.get(0));
    int second = firstSecond + local;
    return new Clip(
        second,
        local * 1000L,
        null,
        null,
        spec.fps(),
        first.width(),
        first.height(),
        jpegs,
        sources,
        persons.boxes(second, null),
        false,
        firstSecond);
  }

  /** Writes every second's clip to the sink, the last flagged end-of-stream. */
  public StreamSummary run(
      PersonBoxSource persons,
      ClipSink sink,
      StreamListener listener,
      BooleanSupplier stopRequested) {
    long start = System.nanoTime();
    int[] clips = {0};
    long[] bytes = {0};
    EndOfStreamMarker marker =
        new EndOfStreamMarker(
            clip -> {
              long n = sink.accept(clip);
              if (clip.endOfStream()) {
                return; // the end-of-stream repeat of the last clip: not a new clip
              }
              if (n > 0) {
                clips[0]++;
                bytes[0] += n;
              }
              listener.clipWritten(clip, n);
            });
    boolean stopped = false;
    int done = 0;
    for (int s = 0; s < seconds(); s++) {
      if (stopRequested.getAsBoolean()) {
        stopped = true;
        break;
      }
      marker.accept(clip(s, persons));
      done++;
    }
    marker.finish();
    return new StreamSummary(
        clips[0],
        sink.skipped(),
        bytes[0],
        done,
        List.of(),
        0,
        Duration.ofNanos(System.nanoTime() - start),
        stopped,
        null);
  }
}
