package io.cmstream.ava.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cmstream.common.format.AvaFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameListFileTest {
  @TempDir Path dir;

  @Test
  void shouldReadAndWritePySlowFastFrameLists() throws IOException {
    Path p = dir.resolve("train.csv");
    Files.writeString(
        p,
        "original_vido_id video_idx frame_id path labels\n-5KQ66BBWC4 0 0 -5KQ66BBWC4/-5KQ66BBWC4_000001.jpg \"\"\n-5KQ66BBWC4  0 1 -5KQ66BBWC4/-5KQ66BBWC4_000002.jpg \"\"\n");
    List<FrameListRow> rows = FrameListFile.read(p);
    assertEquals(2, rows.size());
    assertEquals(
        new FrameListRow("-5KQ66BBWC4", 0, 1, "-5KQ66BBWC4/-5KQ66BBWC4_000002.jpg"), rows.get(1));
    FrameListFile.write(dir.resolve("copy.csv"), rows);
    assertEquals(rows, FrameListFile.read(dir.resolve("copy.csv")));
    assertEquals(FrameListFile.HEADER, Files.readAllLines(dir.resolve("copy.csv")).get(0));
  }

  @Test
  void shouldRejectMissingHeaderAndShortRows() throws IOException {
    Path p = dir.resolve("a.csv");
    Files.writeString(p, "v 0 0 v/v_000001.jpg \"\"\n");
    assertEquals(
        p + ":1: expected the header '" + FrameListFile.HEADER + "'",
        assertThrows(AvaFormatException.class, () -> FrameListFile.read(p)).getMessage());
    Path q = dir.resolve("b.csv");
    Files.writeString(q, FrameListFile.HEADER + "\nv 0 0 v/v_000001.jpg\n");
    assertEquals(
        q + ":2: expected 5 columns (original_vido_id video_idx frame_id path labels), found 4",
        assertThrows(AvaFormatException.class, () -> FrameListFile.read(q)).getMessage());
  }
}
