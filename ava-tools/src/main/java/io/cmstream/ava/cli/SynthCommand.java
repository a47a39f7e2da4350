package io.cmstream.ava.cli;

import io.cmstream.ava.synth.Ceiling;
import io.cmstream.ava.synth.SynthConfig;
import io.cmstream.ava.synth.SynthDataset;
import io.cmstream.common.cli.Cli;
import io.cmstream.common.cli.ProjectVersion;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ava-tools synth}: writes the synthetic AVA dataset. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Writes a synthetic AVA dataset in the PySlowFast layout: videos, frames,",
      "frame lists, annotations, proposals, exclusions, label map, README.md and",
      "ceiling.json (best AP of ideal predictors that see 1, 3 or 5 seconds) with",
      "each ceiling predictor's detections CSV in ceiling/."
    })
public final class SynthCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "output folder (absent or empty)")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--videos",
      defaultValue = "" + SynthConfig.DEFAULT_VIDEOS,
      description = "number of videos, the last quarter is val (default: ${DEFAULT-VALUE})")
  int videos;

  @Option(
      names = "--seconds",
      defaultValue = "" + SynthConfig.DEFAULT_SECONDS,
      description = "seconds per video, 8..3600 (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(
      names = "--fps",
      defaultValue = "" + SynthConfig.DEFAULT_FPS,
      description = "frames per second, even (default: ${DEFAULT-VALUE})")
  int fps;

  @Option(
      names = "--size",
      defaultValue = SynthConfig.DEFAULT_WIDTH + "x" + SynthConfig.DEFAULT_HEIGHT,
      description = "frame size WxH, even (default: ${DEFAULT-VALUE})")
  String size;

  @Option(
      names = "--actors",
      defaultValue = "" + SynthConfig.DEFAULT_ACTORS,
      description = "persons per video, 1..6 (default: ${DEFAULT-VALUE})")
  int actors;

  @Option(
      names = "--jpeg-quality",
      defaultValue = "" + SynthConfig.DEFAULT_JPEG_QUALITY,
      description = "JPEG quality 0.5..1 (default: ${DEFAULT-VALUE})")
  float quality;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "videos generated in parallel (default: ${DEFAULT-VALUE})")
  int threads;

  @Override
  public Integer call() {
    String[] wh = size.toLowerCase(Locale.ROOT).split("x");
    if (wh.length != 2 || !wh[0].matches("\\d{1,5}") || !wh[1].matches("\\d{1,5}")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--size must look like 160x120, got '" + size + "'");
    }
    SynthConfig config;
    try {
      config =
          new SynthConfig(
              seed,
              videos,
              seconds,
              fps,
              Integer.parseInt(wh[0]),
              Integer.parseInt(wh[1]),
              actors,
              quality);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (threads < 1 || threads > 64) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be in [1, 64]");
    }
    SynthDataset.prepareOutput(out);
    long t0 = System.nanoTime();
    SynthDataset.Summary s;
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("synth")
            .setInitialMax((long) config.videos() * config.framesPerVideo())
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" frames", 1)
            .continuousUpdate()
            .build()) {
      s = new SynthDataset(config, threads).write(out, bar::stepBy);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    var w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "wrote %s: %d videos (%s), %d frames, %d person-seconds, %.1f MB in %.1f s%n",
        s.root(),
        s.videos(),
        s.codec(),
        s.frames(),
        s.personSeconds(),
        s.bytes() / 1e6,
        secs);
    for (Ceiling.Result r : s.ceiling()) {
      w.printf(
          Locale.ROOT,
          "ceiling %-12s mAP %.3f (expected %.3f)  ",
          r.predictor().key(),
          r.map(),
          r.expectedMap());
      r.perClass().forEach(c -> w.printf(Locale.ROOT, " %s=%.3f", c.actionClass().label(), c.ap()));
      w.println();
    }
    w.println("see " + s.root().resolve("README.md") + " and " + s.root().resolve("ceiling.json"));
    return Cli.OK;
  }
}
