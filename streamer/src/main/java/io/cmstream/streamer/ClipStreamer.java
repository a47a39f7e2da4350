package io.cmstream.streamer;

import io.cmstream.streamer.clip.ClipAssembler;
import io.cmstream.streamer.clip.ClipTiming;
import io.cmstream.streamer.clip.JpegEncoder;
import io.cmstream.streamer.persons.PersonBoxSource;
import io.cmstream.streamer.publish.ClipSink;
import io.cmstream.streamer.publish.EndOfStreamMarker;
import io.cmstream.streamer.video.LiveFrameResampler;
import io.cmstream.streamer.video.Pacer;
import io.cmstream.streamer.video.TimestampSanitizer;
import io.cmstream.streamer.video.VideoInput;
import io.cmstream.streamer.video.VideoInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streamer's main loop: decode the input, resample to the model's fps by timestamp, cut one
 * clip per whole second with its person boxes, and hand the clips to a sink; the last clip is
 * flagged end-of-stream (end of input or stop request). A lost network stream is reopened with
 * backoff; the seconds it was away are a gap (no clips), logged and listed in the summary.
 */
public final class ClipStreamer {
  private static final Logger log = LoggerFactory.getLogger(ClipStreamer.class);

  private final StreamSettings settings;
  private final ClipTiming timing;

  public ClipStreamer(StreamSettings settings) {
    this.settings = settings;
    this.timing = new ClipTiming(settings.spec());
  }

  /**
   * Streams the input to the sink until it ends or {@code stopRequested} turns true.
   *
   * @throws VideoInputException when the input cannot be opened or read
   */
  public StreamSummary run(
      PersonBoxSource persons,
      ClipSink sink,
      StreamListener listener,
      BooleanSupplier stopRequested)
      throws InterruptedException {
    long startNanos = System.nanoTime();
    long startWall = System.currentTimeMillis();
    VideoInput input = open();
    listener.opened(input);
    Counters counters = new Counters();
    EndOfStreamMarker marker =
        new EndOfStreamMarker(
            clip -> {
              long bytes = sink.accept(clip);
              if (clip.endOfStream()) {
                return; // the end-of-stream repeat of the last clip: not a new clip
              }
              if (bytes > 0) {
                counters.clips++;
                counters.bytes += bytes;
              }
              listener.clipWritten(clip, bytes);
            });
    List<StreamSummary.Gap> gaps = new ArrayList<>();
    LongSupplier captureClock =
        input.isLive() || settings.realtime() ? System::currentTimeMillis : null;
    Pacer pacer = settings.realtime() && !input.isLive() ? new Pacer() : null;
    boolean stopped = false;
    String lost = null;
    try (JpegEncoder encoder = new JpegEncoder(settings.sendShortSide(), settings.jpegQuality())) {
      Segment segment = new Segment(input, settings.firstSecond(), encoder, persons, marker);
      try {
        while (true) {
          if (stopRequested.getAsBoolean()) {
            stopped = true;
            break;
          }
          Mat frame;
          try {
            frame = input.grab();
          } catch (VideoInputException e) {
            if (!input.isNetwork()) {
              throw e;
            }
            log.warn("stream {} failed: {}", input.source(), e.getMessage());
            frame = null;
          }
          if (frame == null) {
            if (!input.isNetwork() || settings.reconnect().maxAttempts() == 0) {
              break;
            }
            int lostAt = segment.finish();
            counters.addSegment(segment);
            input.close();
            segment = null;
            try {
              input = reconnect(stopRequested);
            } catch (VideoInputException e) {
              input = null;
              lost = e.getMessage();
              log.error("{}: ending the stream", lost);
              break;
            }
            if (input == null) {
              stopped = true;
              break;
            }
            long elapsedSeconds =
                (long) Math.ceil((System.currentTimeMillis() - startWall) / 1000.0);
            int resumeAt = (int) Math.max(lostAt, settings.firstSecond() + elapsedSeconds);
            if (resumeAt > lostAt) {
              StreamSummary.Gap gap = new StreamSummary.Gap(lostAt, resumeAt - 1);
              gaps.add(gap);
              listener.gap(gap);
              log.warn(
                  "gap in stream {}: seconds {}..{} have no clips (reconnected)",
                  input.source(),
                  lostAt,
                  resumeAt - 1);
            }
            segment = new Segment(input, resumeAt, encoder, persons, marker);
            continue;
          }
          long media = segment.sanitizer.mediaMicros(input.timestampMicros());
          // capture time: when the frame is due (paced file: the camera's moment, even when the
          // streamer is behind) or read (live); unknown for files read as fast as possible
          long capture =
              pacer != null
                  ? pacer.await(media)
                  : captureClock == null ? -1 : captureClock.getAsLong();
          segment.resampler.accept(media, capture, frame);
        }
        if (segment != null) {
          segment.finish();
          counters.addSegment(segment);
          segment = null;
        }
        marker.finish();
      } finally {
        if (segment != null) {
          segment.close();
        }
      }
    } finally {
      if (input != null) {
        input.close();
      }
    }
    return new StreamSummary(
        counters.clips,
        sink.skipped(),
        counters.bytes,
        counters.mediaSeconds,
        List.copyOf(gaps),
        counters.repaired,
        Duration.ofNanos(System.nanoTime() - startNanos),
        stopped,
        lost);
  }

  private VideoInput open() {
    return VideoInput.open(settings.input(), settings.inputFormat(), settings.timeoutMillis());
  }

  private VideoInput reconnect(BooleanSupplier stopRequested) throws InterruptedException {
    ReconnectPolicy policy = settings.reconnect();
    for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
      long waitUntil = System.currentTimeMillis() + policy.backoff(attempt).toMillis();
      while (System.currentTimeMillis() < waitUntil) {
        if (stopRequested.getAsBoolean()) {
          return null;
        }
        Thread.sleep(Math.min(100, Math.max(1, waitUntil - System.currentTimeMillis())));
      }
      try {
        VideoInput in = open();
        log.info("stream {} reopened (attempt {})", settings.input(), attempt);
        return in;
      } catch (VideoInputException e) {
        log.warn(
            "reconnect {} of {} to {} failed: {}",
            attempt,
            policy.maxAttempts(),
            settings.input(),
            e.getMessage());
      }
    }
    throw new VideoInputException(
        "stream "
            + settings.input()
            + " lost and not back after "
            + policy.maxAttempts()
            + " reconnect attempts");
  }

  private static final class Counters {
    int clips;
    long bytes;
    double mediaSeconds;
    int repaired;

    void addSegment(Segment s) {
      mediaSeconds += s.mediaSeconds();
      repaired += s.sanitizer.repaired();
    }
  }

  /** One uninterrupted stretch of the input: its own clock, resampler and assembler. */
  private final class Segment implements AutoCloseable {
    final TimestampSanitizer sanitizer;
    final LiveFrameResampler resampler;
    final ClipAssembler assembler;
    final int firstSecond;
    boolean finished;

    Segment(
        VideoInput input,
        int firstSecond,
        JpegEncoder encoder,
        PersonBoxSource persons,
        EndOfStreamMarker out) {
      this.firstSecond = firstSecond;
      this.sanitizer = new TimestampSanitizer(input.frameRate());
      this.assembler =
          new ClipAssembler(
              timing,
              encoder,
              persons,
              firstSecond,
              timing.wholeSecondsOfLength(input.lengthMicros()),
              out);
      this.resampler = new LiveFrameResampler(timing.fps(), assembler);
    }

    /** Emits the clips of every whole second left; returns the first second not covered. */
    int finish() {
      if (!finished) {
        finished = true;
        resampler.finish(sanitizer.endMicros());
        close();
      }
      return firstSecond + assembler.emitted();
    }

    double mediaSeconds() {
      return sanitizer.lastMicros() < 0 ? 0 : sanitizer.endMicros() / 1e6;
    }

    @Override
    public void close() {
      resampler.close();
      assembler.close();
    }
  }
}
