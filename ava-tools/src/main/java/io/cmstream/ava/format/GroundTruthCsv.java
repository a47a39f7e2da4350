package io.cmstream.ava.format;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads and writes AVA ground truth: {@code video_id,timestamp,x1,y1,x2,y2,action_id,person_id}.
 */
public final class GroundTruthCsv {
  static final String FORMAT = "video_id,timestamp,x1,y1,x2,y2,action_id,person_id";

  private GroundTruthCsv() {}

  public static List<GroundTruthRow> read(Path file) {
    return AvaCsv.readAll(file, GroundTruthCsv::parse);
  }

  public static void forEach(Path file, Consumer<GroundTruthRow> sink) {
    AvaCsv.forEachLine(file, ',', f -> sink.accept(parse(f)));
  }

  static GroundTruthRow parse(AvaCsv.Fields f) {
    f.expectColumns(FORMAT, 8);
    return new GroundTruthRow(
        f.key(0, 1), f.box(2), f.integer(6, "action_id"), f.integer(7, "person_id"));
  }

  public static void write(Path file, Iterable<GroundTruthRow> rows) {
    AvaCsv.writeLines(file, rows, GroundTruthRow::toCsv);
  }
}
