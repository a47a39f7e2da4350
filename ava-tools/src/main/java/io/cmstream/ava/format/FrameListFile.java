package io.cmstream.ava.format;

import io.cmstream.common.format.AvaFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes PySlowFast frame lists: a header line {@code original_vido_id video_idx frame_id
 * path labels} (sic, as PySlowFast writes it) and then one space-separated row per frame.
 */
public final class FrameListFile {
  public static final String HEADER = "original_vido_id video_idx frame_id path labels";

  private FrameListFile() {}

  public static List<FrameListRow> read(Path file) {
    List<FrameListRow> rows = new ArrayList<>();
    boolean[] first = {true};
    AvaCsv.forEachLine(
        file,
        ' ',
        f -> {
          if (first[0]) {
            first[0] = false;
            if (!String.join(" ", allText(f)).strip().equals(HEADER)) {
              throw f.error("expected the header '" + HEADER + "'");
            }
            return;
          }
          f.expectColumns("original_vido_id video_idx frame_id path labels", 5);
          String video = f.nonEmpty(0, "original_vido_id");
          int videoIdx = f.integer(1, "video_idx");
          int frameId = f.integer(2, "frame_id");
          String path = f.nonEmpty(3, "path");
          try {
            rows.add(new FrameListRow(video, videoIdx, frameId, path, f.text(4)));
          } catch (IllegalArgumentException e) {
            throw f.error(e.getMessage());
          }
        });
    if (first[0]) {
      throw new AvaFormatException(file.toString(), 0, "empty frame list (no header)");
    }
    return rows;
  }

  private static List<String> allText(AvaCsv.Fields f) {
    List<String> t = new ArrayList<>();
    for (int i = 0; i < f.count(); i++) {
      t.add(f.text(i));
    }
    return t;
  }

  public static void write(Path file, Iterable<FrameListRow> rows) {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    for (FrameListRow r : rows) {
      lines.add(r.toLine());
    }
    AvaCsv.writeLines(file, lines, s -> s);
  }
}
