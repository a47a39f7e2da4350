package io.cmstream.ava.synth;

import io.cmstream.ava.clip.RgbImage;
import java.util.List;

/**
 * Everything that happens in one synthetic video, second by second and frame by frame. Frame {@code
 * f} is shown at {@code f / fps} and belongs to second {@code floor(f / fps + 0.5)} (the second
 * whose centred one-second clip holds it).
 *
 * @param videoId id of the video
 * @param fps frame rate
 * @param seconds length in seconds
 * @param background the static textured background
 * @param cues light of each second (null = none)
 * @param actors the actors
 * @param episodes gesture episodes in time order
 */
public record Scenario(
    String videoId,
    int fps,
    int seconds,
    RgbImage background,
    Cue[] cues,
    List<Actor> actors,
    List<Episode> episodes) {

  /**
   * One person.
   *
   * @param shirt RGB of the torso
   * @param pants RGB of the legs
   * @param baseY y of the feet in pixels
   * @param poses pose of each second
   * @param gestures whether the actor gestures in each second
   * @param x horizontal centre in pixels at each frame
   */
  public record Actor(
      int[] shirt, int[] pants, double baseY, Pose[] poses, boolean[] gestures, double[] x) {}

  /**
   * A gesture episode: some actors gesture at {@code gestureSecond}; its light (if any) is at
   * {@code cueSecond}.
   *
   * @param gestureSecond the second of the gesture
   * @param cue the episode's light, null for a distractor episode
   * @param cueSecond the second of the light (gestureSecond for a distractor)
   */
  public record Episode(int gestureSecond, Cue cue, int cueSecond) {}

  public int frames() {
    return seconds * fps;
  }

  /** The second whose centred one-second interval holds frame {@code f}, within the video. */
  public int secondOf(int frame) {
    return Math.max(0, Math.min(seconds - 1, (int) Math.floor((double) frame / fps + 0.5)));
  }

  public int width() {
    return background.width();
  }

  public int height() {
    return background.height();
  }
}
