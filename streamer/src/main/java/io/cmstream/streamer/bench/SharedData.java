package io.cmstream.streamer.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a file of the shared data folder that lives beside the repository ({@code ../shared/data}
 * from the repository root, also when the repository is a worktree one level deeper). Such files
 * (e.g. the street footage {@code vtest.avi}) are never committed.
 */
public final class SharedData {
  private SharedData() {}

  public static Optional<Path> find(String name) {
    Path dir = Path.of("").toAbsolutePath();
    for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("data").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
