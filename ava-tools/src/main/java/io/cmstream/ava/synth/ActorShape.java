package io.cmstream.ava.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * The drawn body of one actor at one frame, as simple primitives (discs, capsules, rectangles) in
 * pixels. The same primitives are drawn and give the person box, so boxes fit the pixels exactly.
 */
public final class ActorShape {
  private static final int[] SKIN = {228, 182, 140};

  /**
   * A filled primitive: a disc (x1,y1,r), a capsule (segment x1,y1-x2,y2, radius r) or a rectangle.
   */
  public record Part(Kind kind, double x1, double y1, double x2, double y2, double r, int[] rgb) {
    public enum Kind {
      DISC,
      CAPSULE,
      RECT
    }

    double minX() {
      return kind == Kind.RECT ? Math.min(x1, x2) : Math.min(x1, kind == Kind.DISC ? x1 : x2) - r;
    }

    double maxX() {
      return kind == Kind.RECT ? Math.max(x1, x2) : Math.max(x1, kind == Kind.DISC ? x1 : x2) + r;
    }

    double minY() {
      return kind == Kind.RECT ? Math.min(y1, y2) : Math.min(y1, kind == Kind.DISC ? y1 : y2) - r;
    }

    double maxY() {
      return kind == Kind.RECT ? Math.max(y1, y2) : Math.max(y1, kind == Kind.DISC ? y1 : y2) + r;
    }
  }

  private final List<Part> parts;

  private ActorShape(List<Part> parts) {
    this.parts = parts;
  }

  public List<Part> parts() {
    return parts;
  }

  /** The shape of {@code actor} at {@code frame} of {@code scenario}. */
  public static ActorShape of(Scenario scenario, Scenario.Actor actor, int frame) {
    int fps = scenario.fps();
    int s = scenario.secondOf(frame);
    double u = scenario.height() / 120.0;
    double x = actor.x()[frame];
    double base = actor.baseY();
    Pose pose = actor.poses()[s];
    List<Part> p = new ArrayList<>(9);
    double hipY;
    double shoulderY;
    double headY;
    if (pose == Pose.CROUCH) {
      hipY = base - 11 * u;
      shoulderY = base - 28 * u;
      headY = base - 35 * u;
      for (int side = -1; side <= 1; side += 2) {
        double kx = x + side * 7.5 * u;
        double ky = base - 7 * u;
        p.add(capsule(x + side * 2.5 * u, hipY, kx, ky, 1.8 * u, actor.pants()));
        p.add(capsule(kx, ky, x + side * 4 * u, base - 1.8 * u, 1.8 * u, actor.pants()));
      }
    } else {
      hipY = base - 18 * u;
      shoulderY = base - 36 * u;
      headY = base - 43 * u;
      double swing = pose == Pose.WALK ? Math.sin(2 * Math.PI * 2 * frame / fps) : 0;
      for (int side = -1; side <= 1; side += 2) {
        double phase = side * swing;
        double kx = x + side * 3 * u + 3 * u * phase;
        double fx = x + side * 3.5 * u + 7 * u * phase;
        double ky = base - 9 * u;
        p.add(capsule(x + side * 2.5 * u, hipY, kx, ky, 1.8 * u, actor.pants()));
        p.add(capsule(kx, ky, fx, base - 1.8 * u, 1.8 * u, actor.pants()));
      }
    }
    p.add(new Part(Part.Kind.RECT, x - 5 * u, shoulderY, x + 5 * u, hipY + u, 0, actor.shirt()));
    double theta = Math.toRadians(12);
    if (actor.gestures()[s]) {
      double phase = (frame - (s * fps - fps / 2.0) + 0.5) / fps; // (0,1) over the gesture second
      theta += Math.toRadians(153) * Math.sin(Math.PI * phase);
    }
    double len = 14 * u;
    for (int side = -1; side <= 1; side += 2) {
      double sx = x + side * 5.5 * u;
      double sy = shoulderY + 2 * u;
      p.add(
          capsule(
              sx,
              sy,
              sx + side * len * Math.sin(theta),
              sy + len * Math.cos(theta),
              1.5 * u,
              SKIN));
    }
    p.add(new Part(Part.Kind.DISC, x, headY, x, headY, 5.5 * u, SKIN));
    return new ActorShape(List.copyOf(p));
  }

  private static Part capsule(double x1, double y1, double x2, double y2, double r, int[] rgb) {
    return new Part(Part.Kind.CAPSULE, x1, y1, x2, y2, r, rgb);
  }

  /** Pixel extent {minX, minY, maxX, maxY} of all parts. */
  public double[] extent() {
    double[] e = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
    for (Part q : parts) {
      e[0] = Math.min(e[0], q.minX());
      e[1] = Math.min(e[1], q.minY());
      e[2] = Math.max(e[2], q.maxX());
      e[3] = Math.max(e[3], q.maxY());
    }
    return e;
  }

  /** Draws the parts onto interleaved RGB pixels of a {@code w x h} frame (no anti-aliasing). */
  public void draw(byte[] rgb, int w, int h) {
    for (Part q : parts) {
      int x0 = Math.max(0, (int) Math.floor(q.minX()));
      int x1 = Math.min(w - 1, (int) Math.ceil(q.maxX()));
      int y0 = Math.max(0, (int) Math.floor(q.minY()));
      int y1 = Math.min(h - 1, (int) Math.ceil(q.maxY()));
      for (int y = y0; y <= y1; y++) {
        double cy = y + 0.5;
        for (int x = x0; x <= x1; x++) {
          double cx = x + 0.5;
          if (inside(q, cx, cy)) {
            int o = (y * w + x) * 3;
            rgb[o] = (byte) q.rgb()[0];
            rgb[o + 1] = (byte) q.rgb()[1];
            rgb[o + 2] = (byte) q.rgb()[2];
          }
        }
      }
    }
  }

  private static boolean inside(Part q, double cx, double cy) {
    switch (q.kind()) {
      case RECT:
        return cx >= Math.min(q.x1(), q.x2())
            && cx <= Math.max(q.x1(), q.x2())
            && cy >= Math.min(q.y1(), q.y2())
            && cy <= Math.max(q.y1(), q.y2());
      case DISC:
        return (cx - q.x1()) * (cx - q.x1()) + (cy - q.y1()) * (cy - q.y1()) <= q.r() * q.r();
      default:
        double dx = q.x2() - q.x1();
        double dy = q.y2() - q.y1();
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : ((cx - q.x1()) * dx + (cy - q.y1()) * dy) / len2;
        t = Math.max(0, Math.min(1, t));
        double px = q.x1() + t * dx - cx;
        double py = q.y1() + t * dy - cy;
        return px * px + py * py <= q.r() * q.r();
    }
  }
}
