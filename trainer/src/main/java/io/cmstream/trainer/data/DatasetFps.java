package io.cmstream.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cmstream.ava.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The frame rate of a dataset's frame folders: the {@code fps} field of a metadata JSON at the
 * dataset root ({@code dataset.json}, {@code synth.json} or {@code ceiling.json}, as written by
 * {@code ava-tools synth}), else the frame rate of the first {@code videos/*.mp4} (decoded with
 * javacv), else 30 (AVA's PySlowFast frames).
 */
public final class DatasetFps {
  public static final double AVA_FPS = 30;

  private DatasetFps() {}

  public static double detect(Path root) {
    for (String name : List.of("dataset.json", "synth.json", "ceiling.json")) {
      Path f = root.resolve(name);
      if (Files.isRegularFile(f)) {
        try {
          JsonNode n = new ObjectMapper().readTree(f.toFile()).findValue("fps");
          if (n != null && n.isNumber() && n.asDouble() > 0) {
            return n.asDouble();
          }
        } catch (IOException e) {
          // not a metadata file we understand: fall through
        }
      }
    }
    Path videos = root.resolve("videos");
    if (Files.isDirectory(videos)) {
      try (var files = Files.list(videos)) {
        Path first =
            files.filter(p -> p.toString().endsWith(".mp4")).sorted().findFirst().orElse(null);
        if (first != null) {
          try (VideoReader r = VideoReader.open(first)) {
            if (r.frameRate() > 0) {
              return Math.round(r.frameRate() * 1000) / 1000.0;
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // unreadable video: fall back to AVA's rate
      }
    }
    return AVA_FPS;
  }
}
