package io.cmstream.ava.format;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads and writes AVA excluded timestamps: {@code video_id,timestamp}. */
public final class ExclusionsCsv {
  private ExclusionsCsv() {}

  public static Set<FrameKey> read(Path file) {
    Set<FrameKey> out = new LinkedHashSet<>();
    AvaCsv.forEachLine(
        file,
        ',',
        f -> {
          f.expectColumns("video_id,timestamp", 2);
          out.add(f.key(0, 1));
        });
    return out;
  }

  public static void write(Path file, Iterable<FrameKey> keys) {
    AvaCsv.writeLines(file, keys, FrameKey::toString);
  }
}
