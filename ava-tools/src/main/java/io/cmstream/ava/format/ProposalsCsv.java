package io.cmstream.ava.format;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Reads and writes person proposals in AVA's predicted-box format ({@code
 * video_id,timestamp,x1,y1,x2,y2,,score}; the seventh column empty or -1, or an action id).
 */
public final class ProposalsCsv {
  static final String FORMAT = "video_id,timestamp,x1,y1,x2,y2,action_id(empty),score";

  private ProposalsCsv() {}

  public static List<ProposalRow> read(Path file) {
    return AvaCsv.readAll(file, ProposalsCsv::parse);
  }

  public static void forEach(Path file, Consumer<ProposalRow> sink) {
    AvaCsv.forEachLine(file, ',', f -> sink.accept(parse(f)));
  }

  static ProposalRow parse(AvaCsv.Fields f) {
    f.expectColumns(FORMAT, 8);
    OptionalInt action = OptionalInt.empty();
    if (!f.text(6).isBlank()) {
      int a = f.integer(6, "action_id");
      if (a != -1) {
        action = OptionalInt.of(a);
      }
    }
    return new ProposalRow(f.key(0, 1), f.box(2), action, f.decimal(7, "score"));
  }

  public static void write(Path file, Iterable<ProposalRow> rows) {
    AvaCsv.writeLines(file, rows, ProposalRow::toCsv);
  }
}
