package io.cmstream.ava.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws person boxes with their top actions and scores on a video frame. The same drawing serves
 * {@code ava-tools visualize} and the demo's annotated video.
 */
public final class FrameAnnotator {
  /** 16 distinct colours (Sasha Trubetskoy's list, without the near-white ones). */
  private static final Color[] PALETTE = {
    new Color(0xE6194B), new Color(0x3CB44B), new Color(0x4363D8), new Color(0xF58231),
    new Color(0x911EB4), new Color(0x46F0F0), new Color(0xF032E6), new Color(0xBCF60C),
    new Color(0x008080), new Color(0x9A6324), new Color(0x800000), new Color(0x808000),
    new Color(0x000075), new Color(0xFFE119), new Color(0xE6BEFF), new Color(0xFABEBE),
  };

  private final float scale;

  /**
   * @param scale text and line scale (1 for frames around 320-640 px wide)
   */
  public FrameAnnotator(float scale) {
    this.scale = scale;
  }

  /** A scale that suits a frame of this width (text about 14 px high on a 640 px frame). */
  public static FrameAnnotator forWidth(int width) {
    return new FrameAnnotator(Math.max(0.6f, width / 400f));
  }

  /** The colour of a person/track key, stable across frames. */
  public static Color color(int key) {
    return PALETTE[Math.floorMod(key, PALETTE.length)];
  }

  /**
   * Draws the boxes and a header line (e.g. "t=12s") onto a copy of the frame in 3-byte BGR, the
   * layout FFmpeg encoders take directly.
   */
  public BufferedImage annotate(BufferedImage frame, List<BoxLabel> boxes, String header) {
    return annotate(frame, boxes, header, null);
  }

  /** As {@link #annotate(BufferedImage, List, String)}, with a legend line at the bottom-left. */
  public BufferedImage annotate(
      BufferedImage frame, List<BoxLabel> boxes, String header, String legend) {
    int w = frame.getWidth();
    int h = frame.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(frame, 0, 0, null);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(9 * scale)));
      FontMetrics fm = g.getFontMetrics();
      for (BoxLabel b : boxes) {
        int x1 = (int) Math.round(clamp(b.x1()) * (w - 1));
        int y1 = (int) Math.round(clamp(b.y1()) * (h - 1));
        int x2 = (int) Math.round(clamp(b.x2()) * (w - 1));
        int y2 = (int) Math.round(clamp(b.y2()) * (h - 1));
        Color c = b.groundTruth() ? Color.WHITE : color(b.colorKey());
        g.setColor(c);
        g.setStroke(stroke(b.groundTruth()));
        g.drawRect(x1, y1, Math.max(1, x2 - x1), Math.max(1, y2 - y1));
        int lineH = fm.getHeight();
        int ty = b.groundTruth() ? y2 + 1 : y1 - lineH * b.lines().size();
        if (ty < 0) {
          ty = y1 + 1;
        }
        for (String line : b.lines()) {
          int tw = fm.stringWidth(line) + 4;
          int tx = Math.min(Math.max(0, x1), Math.max(0, w - tw));
          g.setColor(new Color(0, 0, 0, 170));
          g.fillRect(tx, ty, tw, lineH);
          g.setColor(c);
          g.drawString(line, tx + 2, ty + fm.getAscent());
          ty += lineH;
        }
      }
      if (header != null && !header.isEmpty()) {
        int tw = fm.stringWidth(header) + 6;
        g.setColor(new Color(0, 0, 0, 170));
        g.fillRect(0, 0, tw, fm.getHeight() + 2);
        g.setColor(Color.YELLOW);
        g.drawString(header, 3, fm.getAscent() + 1);
      }
      if (legend != null && !legend.isEmpty()) {
        int tw = fm.stringWidth(legend) + 6;
        g.setColor(new Color(0, 0, 0, 170));
        g.fillRect(0, h - fm.getHeight() - 2, tw, fm.getHeight() + 2);
        g.setColor(Color.WHITE);
        g.drawString(legend, 3, h - fm.getDescent() - 1);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private Stroke stroke(boolean dashed) {
    float width = Math.max(2f, 2f * scale);
    return dashed
        ? new BasicStroke(
            width,
            BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_MITER,
            10f,
            new float[] {4 * scale, 3 * scale},
            0f)
        : new BasicStroke(width);
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
