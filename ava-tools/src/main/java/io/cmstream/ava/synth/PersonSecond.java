package io.cmstream.ava.synth;

import io.cmstream.ava.format.Box;
import java.util.Optional;

/**
 * One annotated person at one keyframe second, with what a predictor could know about it.
 *
 * @param videoId video
 * @param second keyframe second
 * @param personId actor index in the video
 * @param val whether the video is in the val split
 * @param excluded whether the keyframe is in the val exclusion list (heavy occlusion)
 * @param box ground-truth box at the keyframe
 * @param pose pose label (visible within the clip)
 * @param gesture whether the person gestures in that second (visible within the clip)
 * @param interaction interaction label from the cue rules
 * @param lightWithin1 the light seen in the seconds t-1..t+1, if any (what a 3-clip window sees)
 */
public record PersonSecond(
    String videoId,
    int second,
    int personId,
    boolean val,
    boolean excluded,
    Box box,
    Pose pose,
    boolean gesture,
    Optional<ActionClass> interaction,
    Optional<Cue> lightWithin1) {

  /** Whether this person-second carries label {@code c}. */
  public boolean has(ActionClass c) {
    return c.isPose() ? ActionClass.of(pose) == c : interaction.filter(c::equals).isPresent();
  }
}
