package io.cmstream.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of temporary folders: the broker's logs, the demo's streams state. */
public final class TempFolders {
  private TempFolders() {}

  /** Deletes a folder tree; a leftover is reported on stderr, never fatal. */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("warning: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
