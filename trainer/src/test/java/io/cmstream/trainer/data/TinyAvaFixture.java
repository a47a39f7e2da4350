package io.cmstream.trainer.data;

import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.ava.format.Box;
import io.cmstream.ava.format.FrameListFile;
import io.cmstream.ava.format.FrameListRow;
import io.cmstream.ava.format.GroundTruthCsv;
import io.cmstream.ava.format.GroundTruthRow;
import io.cmstream.ava.format.ProposalRow;
import io.cmstream.ava.format.ProposalsCsv;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-sized AVA-layout fixture for the data-loading tests (not the project's synthetic set): per
 * video 6 seconds at 8 fps, 64x48 frames, one red person (class 1 "red") on the left and one blue
 * person (class 2 "blue") on the right, every second labelled except second 2.
 */
public final class TinyAvaFixture {
  public static final int FPS = 8;
  public static final int SECONDS = 6;
  public static final Box RED = new Box(0.1, 0.2, 0.4, 0.9);
  public static final Box BLUE = new Box(0.6, 0.2, 0.9, 0.9);

  private TinyAvaFixture() {}

  public static Path write(Path root) throws IOException {
    JpegCodec jpeg = new JpegCodec(0.9f);
    Files.createDirectories(root.resolve("annotations"));
    Files.createDirectories(root.resolve("frame_lists"));
    LabelMapPbtxt.write(
        root.resolve("annotations/ava_action_list_v2.2_for_activitynet_2019.pbtxt"),
        LabelMap.of(new LabelMap.Label(1, "red"), new LabelMap.Label(2, "blue")),
        LabelMap.Dialect.LABEL);
    String[][] splits = {{"train", "vidA", "vidB"}, {"val", "vidC"}};
    for (String[] sp : splits) {
      List<FrameListRow> frames = new ArrayList<>();
      List<GroundTruthRow> gt = new ArrayList<>();
      List<ProposalRow> props = new ArrayList<>();
      for (int v = 1; v < sp.length; v++) {
        String vid = sp[v];
        Path dir = root.resolve("frames").resolve(vid);
        Files.createDirectories(dir);
        int n = SECONDS * FPS;
        for (int i = 0; i < n; i++) {
          RgbImage img = frame(64, 48, i);
          String rel = vid + "/" + String.format("%s_%06d.jpg", vid, i + 1);
          Files.write(root.resolve("frames").resolve(rel), jpeg.encode(img));
          frames.add(new FrameListRow(vid, v - 1, i, rel));
        }
        for (int s = 0; s < SECONDS; s++) {
          if (s == 2) {
            continue;
          }
          gt.add(new GroundTruthRow(vid, s, RED, 1, 0));
          gt.add(new GroundTruthRow(vid, s, BLUE, 2, 1));
          props.add(new ProposalRow(vid, s, RED, 0.95));
          props.add(new ProposalRow(vid, s, BLUE, 0.9));
          props.add(new ProposalRow(vid, s, new Box(0.4, 0.0, 0.6, 0.2), 0.3));
        }
      }
      FrameListFile.write(root.resolve("frame_lists/" + sp[0] + ".csv"), frames);
      GroundTruthCsv.write(root.resolve("annotations/ava_" + sp[0] + "_v2.2.csv"), gt);
      ProposalsCsv.write(root.resolve("annotations/ava_" + sp[0] + "_predicted_boxes.csv"), props);
    }
    return root;
  }

  private static RgbImage frame(int w, int h, int index) {
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        double nx = (x + 0.5) / w;
        double ny = (y + 0.5) / h;
        int r = 40;
        int g = 40 + (index % 8) * 4;
        int b = 40;
        if (inside(RED, nx, ny)) {
          r = 220;
        } else if (inside(BLUE, nx, ny)) {
          b = 220;
        }
        rgb[o] = (byte) r;
        rgb[o + 1] = (byte) g;
        rgb[o + 2] = (byte) b;
      }
    }
    return new RgbImage(w, h, rgb);
  }

  private static boolean inside(Box b, double x, double y) {
    return x >= b.x1() && x <= b.x2() && y >= b.y1() && y <= b.y2();
  }
}
