package io.cmstream.ava.synth;

import io.cmstream.common.format.LabelMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The classes of the synthetic dataset (AVA ids from 1). Three poses are visible within one second.
 * Three interactions share the same in-second motion (a gesture: both arms raised and lowered
 * within the second) and differ only by a scene cue outside that second:
 *
 * <ul>
 *   <li>{@link #REPLY_TO_RED}: a RED light 1 or 2 s before the gesture (past context);
 *   <li>{@link #REPLY_TO_GREEN}: a GREEN light 1 or 2 s before (past context);
 *   <li>{@link #SUMMON_BLUE}: a BLUE light 1 or 2 s after (future context).
 * </ul>
 *
 * A gesture with no light within 2 s is a distractor and has no interaction label.
 */
public enum ActionClass {
  STAND(1, "stand", "PERSON_MOVEMENT"),
  WALK(2, "walk", "PERSON_MOVEMENT"),
  CROUCH(3, "crouch", "PERSON_MOVEMENT"),
  REPLY_TO_RED(4, "reply_to_red", "PERSON_INTERACTION"),
  REPLY_TO_GREEN(5, "reply_to_green", "PERSON_INTERACTION"),
  SUMMON_BLUE(6, "summon_blue", "PERSON_INTERACTION");

  private final int id;
  private final String label;
  private final String type;

  ActionClass(int id, String label, String type) {
    this.id = id;
    this.label = label;
    this.type = type;
  }

  public int id() {
    return id;
  }

  public String label() {
    return label;
  }

  public boolean isPose() {
    return type.equals("PERSON_MOVEMENT");
  }

  public static ActionClass of(Pose pose) {
    return switch (pose) {
      case STAND -> STAND;
      case WALK -> WALK;
      case CROUCH -> CROUCH;
    };
  }

  /** The label map (AVA v2.2 dialect with label types). */
  public static LabelMap labelMap() {
    List<LabelMap.Label> labels = new ArrayList<>();
    for (ActionClass c : values()) labels.add(new LabelMap.Label(c.id, c.label, c.type));
    return new LabelMap(labels);
  }
}
