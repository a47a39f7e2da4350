package io.cmstream.ava.format;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Reads and writes AVA detections: {@code video_id,timestamp,x1,y1,x2,y2,action_id,score}. */
public final class DetectionsCsv {
  static final String FORMAT = "video_id,timestamp,x1,y1,x2,y2,action_id,score";

  private DetectionsCsv() {}

  public static List<DetectionRow> read(Path file) {
    return AvaCsv.readAll(file, DetectionsCsv::parse);
  }

  public static void forEach(Path file, Consumer<DetectionRow> sink) {
    AvaCsv.forEachLine(file, ',', f -> sink.accept(parse(f)));
  }

  static DetectionRow parse(AvaCsv.Fields f) {
    f.expectColumns(FORMAT, 8);
    double score = f.decimal(7, "score");
    return new DetectionRow(f.key(0, 1), f.box(2), f.integer(6, "action_id"), score);
  }

  public static void write(Path file, Iterable<DetectionRow> rows) {
    AvaCsv.writeLines(file, rows, DetectionRow::toCsv);
  }
}
