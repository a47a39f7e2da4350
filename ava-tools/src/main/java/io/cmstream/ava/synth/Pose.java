package io.cmstream.ava.synth;

/** What an actor's body does during a second; always visible within the second's clip. */
public enum Pose {
  /** Upright, in place, arms down. */
  STAND,
  /** Upright, moving sideways with swinging legs. */
  WALK,
  /** Body lowered with bent knees, in place. */
  CROUCH
}
