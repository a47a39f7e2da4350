package io.cmstream.streamer.clip;

import io.cmstream.streamer.persons.PersonBox;
import io.cmstream.streamer.persons.PersonBoxSource;
import io.cmstream.streamer.video.ResampledFrameSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Turns frames at the model's fps into one clip per whole second: the clip of second t holds the
 * frames {@link ClipTiming} names (clamped to the video), JPEG-encoded, and the person boxes of
 * keyframe t. Clips are emitted in order as soon as their last frame exists, for the seconds the
 * input has whole (when its length is known; at the end, {@link #finish} cuts the rest by the
 * frames that came). Only frames some clip needs are encoded (plus the latest frame, kept raw, for
 * the clamped end). Not thread-safe.
 */
public final class ClipAssembler implements ResampledFrameSink, AutoCloseable {
  private final ClipTiming timing;
  private final JpegEncoder encoder;
  private final PersonBoxSource persons;
  private final Consumer<Clip> out;
  private final int secondOffset;
  private final int wholeSeconds;
  private final TreeMap<Integer, Encoded> encoded = new TreeMap<>();
  private final Map<Integer, List<PersonBox>> boxes = new HashMap<>();
  private final Map<Integer, Long> captureTimes = new HashMap<>();
  private final Mat lastRaw = new Mat();
  private int lastRawIndex = -1;
  private long lastRawMicros;
  private long lastRawCaptureMs;
  private Encoded lastEncoded;
  private int nextSecond;
  private int emitted;

  /**
   * A kept frame: its JPEG, the media time and the capture time (-1 = unknown) of its source frame.
   */
  private record Encoded(JpegEncoder.Jpeg jpeg, long sourceMicros, long captureMs) {}

  /**
   * @param secondOffset added to local seconds (0 = first second of this input) to give the
   *     record's second
   * @param wholeSeconds whole seconds of the input if its length is known, else {@link
   *     Integer#MAX_VALUE} ({@link ClipTiming#wholeSecondsOfLength})
   */
  public ClipAssembler(
      ClipTiming timing,
      JpegEncoder encoder,
      PersonBoxSource persons,
      int secondOffset,
      int wholeSeconds,
      Consumer<Clip> out) {
    this.timing = timing;
    this.encoder = encoder;
    this.persons = persons;
    this.secondOffset = secondOffset;
    this.wholeSeconds = wholeSeconds;
    this.out = out;
  }

  /** Clips emitted so far. */
  public int emitted() {
    return emitted;
  }

  @Override
  public void accept(int index, long sourceMicros, long captureMs, Mat frame) {
    int s = (int) Math.round(index / timing.fps());
    if (timing.keyframeIndex(s) == index && s >= nextSecond) {
      if (captureMs >= 0) {
        captureTimes.put(s, captureMs);
      }
      boxes.put(s, List.copyOf(persons.boxes(s + secondOffset, frame)));
    }
    if (needed(index)) {
      encoded.put(index, encode(frame, sourceMicros, captureMs));
    } else {
      frame.copyTo(lastRaw);
      lastRawIndex = index;
      lastRawMicros = sourceMicros;
      lastRawCaptureMs = captureMs;
    }
    while (nextSecond < wholeSeconds && timing.lastFrameNeeded(nextSecond) <= index) {
      emit(nextSecond, Integer.MAX_VALUE);
    }
  }

  @Override
  public void finish(int frameCount) {
    int whole = timing.wholeSeconds(frameCount);
    while (nextSecond < whole) {
      emit(nextSecond, frameCount);
    }
  }

  private Encoded encode(Mat frame, long sourceMicros, long captureMs) {
    if (lastEncoded == null || lastEncoded.sourceMicros() != sourceMicros) {
      lastEncoded = new Encoded(encoder.encode(frame), sourceMicros, captureMs);
    }
    return lastEncoded;
  }

  private boolean needed(int index) {
    double span = timing.spec().span();
    int from = Math.max(nextSecond, (int) Math.floor((index - span) / timing.fps()) - 1);
    int to = (int) Math.ceil((index + span) / timing.fps()) + 1;
    for (int s = from; s <= to; s++) {
      for (int i : timing.openIndices(s)) {
        if (i == index) {
          return true;
        }
      }
    }
    return false;
  }

  private void emit(int second, int frameCount) {
    int[] idx =
        frameCount == Integer.MAX_VALUE
            ? timing.openIndices(second)
            : timing.closedIndices(second, frameCount);
    List<byte[]> frames = new ArrayList<>(idx.length);
    List<Long> sources = new ArrayList<>(idx.length);
    int width = 0;
    int height = 0;
    long lastCapture = -1;
    for (int i : idx) {
      int k = i;
      Encoded e = encoded.get(k);
      if (e == null && k == lastRawIndex) {
        e = new Encoded(encoder.encode(lastRaw), lastRawMicros, lastRawCaptureMs);
        encoded.put(k, e);
      }
      if (e == null) {
        throw new IllegalStateException("frame " + k + " of second " + second + " was not kept");
      }
      frames.add(e.jpeg().bytes());
      sources.add(e.sourceMicros());
      width = e.jpeg().width();
      height = e.jpeg().height();
      lastCapture = e.captureMs();
    }
    List<PersonBox> keyBoxes = boxes.remove(second);
    Long capture = captureTimes.remove(second);
    int absolute = second + secondOffset;
    out.accept(
        new Clip(
            absolute,
            absolute * 1000L,
            capture,
            lastCapture < 0 ? null : lastCapture,
            timing.fps(),
            width,
            height,
            frames,
            sources,
            keyBoxes == null ? List.of() : keyBoxes,
            false,
            secondOffset));
    emitted++;
    nextSecond = second + 1;
    int keepFrom = timing.openIndices(nextSecond)[0];
    encoded.headMap(keepFrom).clear();
  }

  @Override
  public void close() {
    lastRaw.close();
  }
}
