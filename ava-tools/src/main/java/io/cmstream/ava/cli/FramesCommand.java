package io.cmstream.ava.cli;

import io.cmstream.ava.video.FrameExtractor;
import io.cmstream.common.cli.Cli;
import io.cmstream.common.cli.ProjectVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ava-tools frames}: video files to the PySlowFast frame layout. */
@Command(
    name = "frames",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Extracts the frames of every video in a folder into",
      "OUT/<vid>/<vid>_<n:06d>.jpg (n from 1), resampled to --fps by timestamp:",
      "the PySlowFast AVA frame layout."
    })
public final class FramesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--videos",
      required = true,
      description = "folder of video files (or one video file)")
  Path videos;

  @Option(names = "--out", required = true, description = "frames root folder")
  Path out;

  @Option(
      names = "--fps",
      defaultValue = "30",
      description = "output frame rate (default: ${DEFAULT-VALUE}, AVA's)")
  double fps;

  @Option(
      names = "--jpeg-quality",
      defaultValue = "0.9",
      description = "JPEG quality 0.5..1 (default: ${DEFAULT-VALUE})")
  float quality;

  @Override
  public Integer call() {
    if (!(fps > 0 && fps <= 240))
      throw new CommandLine.ParameterException(spec.commandLine(), "--fps must be in (0, 240]");
    if (!(quality >= 0.5f && quality <= 1f)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--jpeg-quality must be in [0.5, 1]");
    }
    List<Path> files = FrameExtractor.videosIn(videos);
    FrameExtractor extractor = new FrameExtractor(fps, quality);
    long expected = 0;
    List<String> failures = new ArrayList<>();
    for (Path f : files) {
      try {
        expected += extractor.expectedFrames(f);
      } catch (IllegalArgumentException e) {
        failures.add(f.getFileName() + " (" + e.getMessage() + ")");
      }
    }
    long t0 = System.nanoTime();
    long total = 0;
    int done = 0;
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("frames")
            .setInitialMax(Math.max(1, expected))
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" frames", 1)
            .continuousUpdate()
            .build()) {
      for (Path f : files) {
        if (failures.stream().anyMatch(s -> s.startsWith(f.getFileName() + " ("))) continue;
        try {
          total += extractor.extract(f, out, bar::stepBy);
          done++;
        } catch (IllegalArgumentException | IllegalStateException e) {
          failures.add(f.getFileName() + " (" + e.getMessage() + ")");
        }
      }
    }
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "wrote %d frames of %d videos to %s in %.1f s%n",
            total,
            done,
            out,
            (System.nanoTime() - t0) / 1e9);
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          failures.size()
              + " of "
              + files.size()
              + " videos could not be read: "
              + String.join("; ", failures));
    }
    return Cli.OK;
  }
}
