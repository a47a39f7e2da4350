package io.cmstream.detector.cli;

import io.cmstream.detector.replay.SyntheticClips;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The synthetic clips of the benchmarks when no recording is at hand (a picocli mixin of {@code
 * detector bench} and {@code cm bench-live}): frame size and person boxes per clip.
 */
public final class SyntheticClipOptions {

  @Option(
      names = "--frame-size",
      description = "synthetic frame WIDTHxHEIGHT (default: ${DEFAULT-VALUE})")
  String frameSize = "320x240";

  @Option(
      names = "--boxes",
      description = "person boxes per synthetic clip (default: ${DEFAULT-VALUE})")
  int boxes = 3;

  /**
   * Synthetic clips of {@code frames} frames at the chosen size.
   *
   * @throws IllegalArgumentException if the frame size is not WIDTHxHEIGHT
   */
  public SyntheticClips clips(int frames) {
    String[] wh = frameSize.toLowerCase(Locale.ROOT).split("x");
    if (wh.length != 2) {
      throw new IllegalArgumentException("--frame-size must be WIDTHxHEIGHT, got " + frameSize);
    }
    return new SyntheticClips(frames, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), boxes);
  }
}
