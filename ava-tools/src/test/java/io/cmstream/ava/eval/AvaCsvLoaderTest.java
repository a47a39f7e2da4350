package io.cmstream.ava.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.format.AvaFormatException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvaCsvLoaderTest {
  @TempDir Path dir;
  final ExecutorService pool = Executors.newFixedThreadPool(3);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void shouldParseDecimalsToTheSameDoublesAsDoubleParseDouble() throws IOException {
    Random rnd = new Random(3);
    List<String> texts = new ArrayList<>();
    String[] fixed = {
      "0",
      "1",
      "0.5",
      ".25",
      "1e-3",
      "2.5E+2",
      "-0.0",
      "+0.125",
      "0.30000000000000004",
      "0.1234567890123456789",
      "123456789012345678901234567890",
      "4.9e-324",
      "1.7976931348623157e308",
      " 0.75 "
    };
    for (String f : fixed) {
      texts.add(f);
    }
    for (int i = 0; i < 20000; i++) {
      double v = rnd.nextDouble() * Math.pow(10, rnd.nextInt(8) - 4);
      texts.add(
          switch (i % 4) {
            case 0 -> Double.toString(v);
            case 1 -> String.format("%.3f", v);
            case 2 -> String.format("%.17f", v);
            default -> String.format("%.6e", v);
          });
    }
    Path p = dir.resolve("det.csv");
    try (BufferedWriter w = Files.newBufferedWriter(p)) {
      for (String t : texts) {
        w.write("v,0902,0.1,0.2,0.3,0.4,1," + t + "\n");
      }
    }
    AvaRows rows = new AvaCsvLoader(pool, 3).load(p, new KeyIndex(), n -> {});
    assertEquals(texts.size(), rows.size);
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(Double.parseDouble(texts.get(i).strip()), rows.score[i], texts.get(i));
      assertEquals(
          Double.doubleToRawLongBits(Double.parseDouble(texts.get(i).strip())),
          Double.doubleToRawLongBits(rows.score[i]),
          texts.get(i));
    }
  }

  @Test
  void shouldKeepRowsInFileOrderAcrossSegmentsAndReportGlobalLineNumbers() throws IOException {
    Path p = dir.resolve("big.csv");
    int n = 120_000; // about 6 MB: split into several segments
    try (BufferedWriter w = Files.newBufferedWriter(p)) {
      for (int i = 0; i < n; i++) {
        w.write(
            "vid"
                + (i / 1000)
                + ","
                + (902 + i % 1000)
                + ",0.1,0.2,0.3,0.4,"
                + (1 + i % 60)
                + ","
                + i
                + "\n");
        if (i == 70_000) {
          w.write("\r\n"); // a blank line is skipped
        }
      }
    }
    for (int block : new int[] {8 << 20, 4096, 333}) { // lines cross block boundaries
      KeyIndex keys = new KeyIndex();
      AvaRows rows = new AvaCsvLoader(pool, 3, block).load(p, keys, x -> {});
      assertEquals(n, rows.size);
      for (int i = 0; i < n; i++) {
        assertEquals(i, rows.score[i]);
        assertEquals(1 + i % 60, rows.action[i]);
        assertEquals(i, rows.key[i]);
      }
      assertEquals(n, keys.size());
      assertEquals("vid119,1901", keys.name(rows.key[n - 1]));
    }

    List<String> lines = Files.readAllLines(p);
    lines.set(100_000, "vid1,0902,0.1,0.2,0.3,0.4,1,zero");
    Files.write(p, lines);
    for (int block : new int[] {8 << 20, 4096}) {
      AvaFormatException e =
          assertThrows(
              AvaFormatException.class,
              () -> new AvaCsvLoader(pool, 3, block).load(p, new KeyIndex(), x -> {}));
      assertEquals(p + ":100001: bad score 'zero': not a decimal number", e.getMessage());
    }
  }

  @Test
  void shouldAcceptTwoAndSevenColumnRows() throws IOException {
    Path p = Files.writeString(dir.resolve("gt.csv"), "v,0902\nv,903,0.1,0.2,0.3,0.4,5\n");
    KeyIndex keys = new KeyIndex();
    AvaRows rows = new AvaCsvLoader(pool, 1).load(p, keys, x -> {});
    assertEquals(2, rows.size);
    assertTrue(rows.keyOnly[0]);
    assertEquals(5, rows.action[1]);
    assertEquals(1.0, rows.score[1]);
    assertEquals("v,0903", keys.name(rows.key[1]));
  }
}
