package io.cmstream.streamer.cli;

import io.cmstream.streamer.ClipStreamer;
import io.cmstream.streamer.StreamListener;
import io.cmstream.streamer.StreamSettings;
import io.cmstream.streamer.StreamSummary;
import io.cmstream.streamer.clip.Clip;
import io.cmstream.streamer.clip.FrameFolderClips;
import io.cmstream.streamer.persons.PersonBoxSource;
import io.cmstream.streamer.publish.ClipSink;
import io.cmstream.streamer.video.VideoInput;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code publish} and {@code record} share: run the clip streamer into a sink with a progress
 * bar; Ctrl-C ends the stream cleanly (the last clip is flagged end-of-stream).
 */
abstract class StreamCommand implements java.util.concurrent.Callable<Integer> {

  @Mixin ClipOptions clip;

  @Option(names = "--no-progress", description = "No progress bar (logs only).")
  boolean noProgress;

  @Spec CommandSpec spec;

  /** The sink clips go to; opened after the input settings are checked. */
  abstract ClipSink openSink(String streamId);

  abstract String streamId();

  abstract String destination();

  @Override
  public Integer call() throws Exception {
    try {
      clip.checkSource();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    StreamSettings settings = clip.settings();
    String streamId = streamId();
    if (streamId == null || streamId.isBlank()) {
      throw new IllegalArgumentException("stream id is empty");
    }
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    // Ctrl-C (or a stop signal): ask the stream to end, then wait for the last clip, the
    // end-of-stream flag, the flush and the summary line before the JVM goes
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                done.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "streamer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return stream(settings, streamId, stop);
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // stopped by a signal: the hook is running and has just been released
      }
    }
  }

  private int stream(StreamSettings settings, String streamId, AtomicBoolean stop)
      throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    StreamSummary summary;
    ClipSink sink = null;
    try (PersonBoxSource persons = clip.personSource();
        ClipSink opened = openSink(streamId);
        Progress progress = new Progress(err, !noProgress)) {
      sink = opened;
      summary =
          clip.frameFolder != null
              ? new FrameFolderClips(
                      clip.frameFolder, clip.videoId, settings.spec(), settings.firstSecond())
                  .run(persons, sink, progress, stop::get)
              : new ClipStreamer(settings).run(persons, sink, progress, stop::get);
    }
    if (summary.clips() == 0 && summary.skipped() == 0) {
      throw new IllegalStateException(
          "input "
              + (clip.frameFolder != null ? clip.frameFolder : settings.input())
              + " has no whole second of video");
    }
    // counts after close: the broker's acknowledgements and rejections are all in
    err.printf(
        Locale.ROOT,
        "%s: %d clips written (%d skipped) of stream '%s' to %s, %.1f s of video in %.1f s (%.2fx), %s%s%s%n",
        spec.commandLine().getCommandName(),
        sink.written(),
        sink.skipped(),
        streamId,
        destination(),
        summary.mediaSeconds(),
        summary.elapsed().toMillis() / 1000.0,
        summary.speed(),
        bytes(summary.bytes()),
        summary.gaps().isEmpty() ? "" : ", gaps: " + summary.gaps(),
        summary.stopped() ? ", stopped" : "");
    err.flush();
    if (summary.lost() != null) {
      throw new IllegalStateException(summary.lost());
    }
    return 0;
  }

  static String bytes(long b) {
    if (b >= 10L << 20) return String.format(Locale.ROOT, "%.1f MB", b / 1048576.0);
    if (b >= 10L << 10) return String.format(Locale.ROOT, "%.1f kB", b / 1024.0);
    return b + " B";
  }

  /** Progress bar: seconds published, clips/s and bytes/s. */
  private static final class Progress implements StreamListener, AutoCloseable {
    private final PrintWriter err;
    private final boolean enabled;
    private ProgressBar bar;
    private long startNanos;
    private int clips;
    private long bytes;

    Progress(PrintWriter err, boolean enabled) {
      this.err = err;
      this.enabled = enabled;
    }

    @Override
    public void opened(VideoInput input) {
      startNanos = System.nanoTime();
      if (!enabled) {
        return;
      }
      long seconds = input.lengthMicros() > 0 ? input.lengthMicros() / 1_000_000 : -1;
      bar =
          new ProgressBarBuilder()
              .setTaskName(input.isLive() ? "live" : "seconds")
              .setInitialMax(seconds)
              .setStyle(ProgressBarStyle.ASCII)
              .setMaxRenderedLength(110)
              .setUnit(" s", 1)
              .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
              .showSpeed()
              .build();
    }

    @Override
    public void clipWritten(Clip clip, long written) {
      clips++;
      bytes += written;
      if (bar != null) {
        double s = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        bar.stepTo(clips);
        bar.setExtraMessage(
            String.format(
                Locale.ROOT, " | %.1f clips/s, %s/s", clips / s, bytes((long) (bytes / s))));
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
      err.flush();
    }
  }
}
