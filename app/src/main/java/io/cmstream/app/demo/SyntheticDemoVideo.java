package io.cmstream.app.demo;

import io.cmstream.ava.synth.SynthConfig;
import io.cmstream.ava.synth.SynthDataset;
import java.nio.file.Path;

/**
 * The demo's default input: a small synthetic dataset generated on the spot, whose val video (never
 * seen in training: the seed differs from the training data's) is streamed and scored against its
 * ground truth.
 */
public final class SyntheticDemoVideo {
  /**
   * The default video: 40 s whose val video has two gesture episodes of each light (red and green
   * before the gesture, blue after it), so every class has ground truth and the report can show
   * what the memory adds (SyntheticDemoVideoTest checks it).
   */
  public static final int DEFAULT_SECONDS = 40;

  public static final long DEFAULT_SEED = 2040;

  private SyntheticDemoVideo() {}

  /**
   * @param seconds length of the video (8..3600)
   * @param fps frames per second of the video (the model's fps keeps serving and training alike)
   */
  public static DemoInput generate(Path dir, long seed, int seconds, int fps) {
    SynthConfig c = SynthConfig.defaults(seed);
    SynthConfig config =
        new SynthConfig(seed, 2, seconds, fps, c.width(), c.height(), c.actors(), c.jpegQuality());
    new SynthDataset(config, 1).write(dir, frames -> {});
    String id = SynthConfig.videoId(1); // the second of two videos is the val split
    return new DemoInput(
        dir.resolve("videos").resolve(id + ".mp4"),
        id,
        dir.resolve(SynthDataset.PROPOSALS_VAL),
        dir.resolve(SynthDataset.GT_VAL),
        dir.resolve(SynthDataset.LABEL_MAP),
        dir.resolve(SynthDataset.EXCLUSIONS_VAL));
  }
}
