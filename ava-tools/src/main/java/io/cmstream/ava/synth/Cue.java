package io.cmstream.ava.synth;

/**
 * A scene-level light: the whole background is tinted with the colour and a thick border of the
 * pure colour surrounds the frame, during the central half of its second.
 */
public enum Cue {
  RED(255, 30, 30),
  GREEN(20, 230, 20),
  BLUE(30, 80, 255);

  private final int r;
  private final int g;
  private final int b;

  Cue(int r, int g, int b) {
    this.r = r;
    this.g = g;
    this.b = b;
  }

  public int[] rgb() {
    return new int[] {r, g, b};
  }

  /** Lower-case name as written in the events file: {@code cue_red}. */
  public String eventName() {
    return "cue_" + name().toLowerCase(java.util.Locale.ROOT);
  }
}
