package io.cmstream.ava.synth;

import io.cmstream.ava.clip.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws a {@link Scenario} at random from the generator's rules.
 *
 * <p>Poses follow a Markov chain per actor and second (keep with probability 1/2, else one of the
 * other two), so each pose is about a third of person-seconds. Gesture episodes are placed every 5
 * s (the first at a random second in [3, 7], the last at most at seconds-4), so the +-2 s
 * neighbourhoods of two gestures never overlap; in each, every actor gestures with probability 0.9
 * (at least one). An episode's type is RED before (30%), GREEN before (30%), BLUE after (30%) or a
 * distractor with no light (10%); the light is 1 or 2 s away (equally likely). Lights only exist in
 * episodes.
 */
public final class ScenarioGenerator {
  static final double[] TYPE_WEIGHTS = {0.3, 0.3, 0.3, 0.1}; // RED, GREEN, BLUE, none
  static final int EPISODE_SPACING = 5;
  static final double GESTURE_PROBABILITY = 0.9;
  private static final int[][] SHIRTS = {
    {235, 205, 60}, {200, 120, 225}, {245, 150, 55}, {90, 205, 215}, {240, 240, 240}, {150, 95, 60}
  };
  private static final int[][] PANTS = {{45, 45, 70}, {70, 50, 40}, {30, 30, 30}, {80, 80, 95}};

  private final SynthConfig config;

  public ScenarioGenerator(SynthConfig config) {
    this.config = config;
  }

  /** The scenario of video {@code index}; depends only on the seed, the knobs and the index. */
  public Scenario generate(int index) {
    Random rnd = new Random(config.seed() * 1_000_003L + index * 7919L + 17);
    int seconds = config.seconds();
    int fps = config.fps();
    RgbImage background = background(rnd);
    Cue[] cues = new Cue[seconds];
    List<Scenario.Episode> episodes = new ArrayList<>();
    int k = config.actors();
    boolean[][] gestures = new boolean[k][seconds];
    for (int g = 3 + rnd.nextInt(5); g <= seconds - 4; g += EPISODE_SPACING) {
      int type = pick(rnd, TYPE_WEIGHTS);
      int d = 1 + rnd.nextInt(2);
      Cue cue = type < 3 ? Cue.values()[type] : null;
      int cueSecond = cue == null ? g : (cue == Cue.BLUE ? g + d : g - d);
      if (cue != null) cues[cueSecond] = cue;
      episodes.add(new Scenario.Episode(g, cue, cueSecond));
      boolean any = false;
      for (int a = 0; a < k; a++) {
        gestures[a][g] = rnd.nextDouble() < GESTURE_PROBABILITY;
        any |= gestures[a][g];
      }
      if (!any) gestures[rnd.nextInt(k)][g] = true;
    }
    List<Scenario.Actor> actors = new ArrayList<>();
    double u = config.height() / 120.0;
    double minX = 12 * u;
    double maxX = config.width() - 12 * u;
    double speed = 16 * u / fps; // pixels per frame
    int shirtOffset = rnd.nextInt(SHIRTS.length);
    for (int a = 0; a < k; a++) {
      Pose[] poses = new Pose[seconds];
      poses[0] = Pose.values()[rnd.nextInt(3)];
      for (int s = 1; s < seconds; s++) {
        poses[s] =
            rnd.nextBoolean()
                ? poses[s - 1]
                : Pose.values()[(poses[s - 1].ordinal() + 1 + rnd.nextInt(2)) % 3];
      }
      double baseY = config.height() * (k == 1 ? 0.78 : 0.64 + 0.28 * a / (k - 1));
      double[] x = new double[seconds * fps];
      double pos = minX + rnd.nextDouble() * (maxX - minX);
      double dir = rnd.nextBoolean() ? 1 : -1;
      for (int f = 0; f < x.length; f++) {
        int s = Math.max(0, Math.min(seconds - 1, (int) Math.floor((double) f / fps + 0.5)));
        if (poses[s] == Pose.WALK) {
          pos += dir * speed;
          if (pos > maxX) {
            pos = 2 * maxX - pos;
            dir = -1;
          } else if (pos < minX) {
            pos = 2 * minX - pos;
            dir = 1;
          }
        }
        x[f] = pos;
      }
      actors.add(
          new Scenario.Actor(
              SHIRTS[(shirtOffset + a) % SHIRTS.length],
              PANTS[rnd.nextInt(PANTS.length)],
              baseY,
              poses,
              gestures[a],
              x));
    }
    return new Scenario(
        SynthConfig.videoId(index),
        fps,
        seconds,
        background,
        cues,
        List.copyOf(actors),
        List.copyOf(episodes));
  }

  private static int pick(Random rnd, double[] weights) {
    double r = rnd.nextDouble();
    for (int i = 0; i < weights.length - 1; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** A muted, textured static background: tiles, a darker floor and fine noise. */
  private RgbImage background(Random rnd) {
    int w = config.width();
    int h = config.height();
    int[] base = {95 + rnd.nextInt(50), 95 + rnd.nextInt(50), 95 + rnd.nextInt(50)};
    int tile = Math.max(4, (int) Math.round(14 * h / 120.0));
    int floorY = (int) (h * 0.55);
    RgbImage img = RgbImage.blank(w, h);
    byte[] px = img.rgb();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v =
            ((x / tile + y / tile) % 2 == 0 ? 10 : -10)
                + (y >= floorY ? -25 : 0)
                + rnd.nextInt(13)
                - 6;
        int o = (y * w + x) * 3;
        for (int c = 0; c < 3; c++) px[o + c] = (byte) Math.max(0, Math.min(255, base[c] + v));
      }
    }
    return img;
  }
}
