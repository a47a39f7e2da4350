package io.cmstream.ava.eval;

import io.cmstream.ava.format.AvaFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Loads an AVA CSV (ground truth or detections, 2, 7 or 8 columns) into {@link AvaRows}, fast:
 * the file is memory-mapped, cut at line boundaries into segments that are parsed in parallel
 * by hand (no String per field, exact decimal conversion with a fallback to
 * {@link Double#parseDouble}), each straight into its slice of the output columns. Errors name
 * the file and the line.
 */
final class AvaCsvLoader {
  private static final long SEGMENT_MAX = 1L << 30;
  private static final double[] POW10 = new double[23];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private final ExecutorService pool;
  private final int parallelism;

  AvaCsvLoader(ExecutorService pool, int parallelism) {
    this.pool = pool;
    this.parallelism = Math.max(1, parallelism);
  }

  /** Reads {@code file}; key ids are taken from (and added to) {@code keys}. */
  AvaRows load(Path file, KeyIndex keys, LongConsumer bytesDone) {
    String name = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      List<MappedByteBuffer> segs = split(ch, size);
      int n = segs.size();
      // pass 1: lines per segment, so that every segment writes into its own slice
      long[] lines = new long[n];
      runAll(n, i -> lines[i] = countLines(segs.get(i)));
      long total = 0;
      int[] rowStart = new int[n];
      for (int i = 0; i < n; i++) {
        if (total + lines[i] > Integer.MAX_VALUE - 16) {
          throw new AvaFormatException(name, 0, "too many rows (more than 2^31)");
        }
        rowStart[i] = (int) total;
        total += lines[i];
      }
      AvaRows rows = new AvaRows((int) total);
      int[] timestamps = new int[(int) Math.max(total, 1)];
      Segment[] parsed = new Segment[n];
      runAll(
          n,
          i -> {
            Segment s = new Segment(name, segs.get(i), rows, timestamps, rowStart[i], bytesDone);
            s.parse();
            parsed[i] = s;
          },
          (i, problem) -> {
            long before = 0;
            for (int j = 0; j < i; j++) {
              before += lines[j];
            }
            return new AvaFormatException(name, before + problem.line, problem.getMessage());
          });
      // pass 2 (sequential): compact the slices, intern videos and keys in file order
      int out = 0;
      int lastVideo = -1;
      int lastTs = 0;
      int lastKey = -1;
      for (int i = 0; i < n; i++) {
        Segment s = parsed[i];
        int[] globalVideo = new int[s.videoNames.size()];
        for (int v = 0; v < globalVideo.length; v++) {
          globalVideo[v] = keys.video(s.videoNames.get(v));
        }
        for (int r = rowStart[i], end = rowStart[i] + s.count; r < end; r++, out++) {
          int video = globalVideo[rows.key[r]];
          int ts = timestamps[r];
          if (video != lastVideo || ts != lastTs) {
            lastKey = keys.key(video, ts);
            lastVideo = video;
            lastTs = ts;
          }
          rows.key[out] = lastKey;
          if (out != r) {
            rows.x1[out] = rows.x1[r];
            rows.y1[out] = rows.y1[r];
            rows.x2[out] = rows.x2[r];
            rows.y2[out] = rows.y2[r];
            rows.action[out] = rows.action[r];
            rows.score[out] = rows.score[r];
            rows.keyOnly[out] = rows.keyOnly[r];
          }
        }
      }
      rows.size = out;
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private List<MappedByteBuffer> split(FileChannel ch, long size) throws IOException {
    int n = size < (4 << 20) ? 1 : (int) Math.max(parallelism, (size + SEGMENT_MAX - 1) / SEGMENT_MAX);
    List<MappedByteBuffer> segs = new ArrayList<>();
    long start = 0;
    for (int i = 1; i <= n && start < size; i++) {
      long end = i == n ? size : Math.max(start, size * i / n);
      if (end < size) {
        // move the cut to just after the next newline
        MappedByteBuffer probe = ch.map(FileChannel.MapMode.READ_ONLY, end, Math.min(size - end, 1 << 20));
        int j = 0;
        while (j < probe.limit() && probe.get(j) != '\n') {
          j++;
        }
        end = j < probe.limit() ? end + j + 1 : (i == n ? size : end + j);
        if (end - start > Integer.MAX_VALUE) {
          throw new IOException("line too long or segment too large");
        }
      }
      if (end > start) {
        segs.add(ch.map(FileChannel.MapMode.READ_ONLY, start, end - start));
      }
      start = end;
    }
    if (start < size) {
      segs.add(ch.map(FileChannel.MapMode.READ_ONLY, start, size - start));
    }
    return segs;
  }

  private static long countLines(MappedByteBuffer b) {
    long n = 0;
    int lim = b.limit();
    for (int i = 0; i < lim; i++) {
      if (b.get(i) == '\n') {
        n++;
      }
    }
    if (lim > 0 && b.get(lim - 1) != '\n') {
      n++;
    }
    return n;
  }

  private interface Task {
    void run(int i) throws Exception;
  }

  private interface ErrorMapper {
    RuntimeException map(int segment, LineError e);
  }

  private void runAll(int n, Task task) {
    runAll(n, task, (i, e) -> new IllegalStateException(e.getMessage(), e));
  }

  private void runAll(int n, Task task, ErrorMapper mapper) {
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int idx = i;
      fs.add(
          pool.submit(
              () -> {
                task.run(idx);
                return null;
              }));
    }
    RuntimeException first = null;
    for (int i = 0; i < n; i++) {
      try {
        fs.get(i).get();
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (first == null) {
          if (c instanceof LineError le) {
            first = mapper.map(i, le);
          } else if (c instanceof RuntimeException re) {
            first = re;
          } else {
            first = new IllegalStateException(c.getMessage(), c);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A parse problem at a line of a segment (the loader turns it into file:line). */
  static final class LineError extends RuntimeException {
    final long line;

    LineError(long line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  /** Parses one segment into rows [rowStart, rowStart + count). */
  private static final class Segment {
    private final MappedByteBuffer b;
    private final AvaRows rows;
    private final int[] timestamps;
    private final int rowStart;
    private final LongConsumer bytesDone;
    final List<String> videoNames = new ArrayList<>();
    private final Map<String, Integer> videoIds = new HashMap<>();
    private int lastVideoStart = -1;
    private int lastVideoLen;
    private int lastVideoId;
    int count;
    private long line;
    private final int[] commas = new int[9];

    Segment(String file, MappedByteBuffer b, AvaRows rows, int[] timestamps, int rowStart, LongConsumer bytesDone) {
      this.b = b;
      this.rows = rows;
      this.timestamps = timestamps;
      this.rowStart = rowStart;
      this.bytesDone = bytesDone;
    }

    void parse() {
      int lim = b.limit();
      int pos = 0;
      int reported = 0;
      while (pos < lim) {
        line++;
        int end = pos;
        while (end < lim && b.get(end) != '\n') {
          end++;
        }
        int lineEnd = end;
        if (lineEnd > pos && b.get(lineEnd - 1) == '\r') {
          lineEnd--;
        }
        parseLine(pos, lineEnd);
        pos = end + 1;
        if (pos - reported >= (4 << 20)) {
          bytesDone.accept(pos - reported);
          reported = pos;
        }
      }
      bytesDone.accept(Math.max(0, lim - reported));
    }

    private LineError error(String msg) {
      return new LineError(line, msg);
    }

    private void parseLine(int s, int e) {
      int nc = 0;
      boolean blank = true;
      for (int i = s; i < e; i++) {
        byte c = b.get(i);
        if (c == ',') {
          if (nc == 8) {
            throw error("expected 2, 7 or 8 columns (video_id,timestamp[,x1,y1,x2,y2,action_id[,score]]), found more than 8");
          }
          commas[nc++] = i;
          blank = false;
        } else if (c != ' ' && c != '\t') {
          blank = false;
        }
      }
      if (blank) {
        return;
      }
      int cols = nc + 1;
      if (cols != 2 && cols != 7 && cols != 8) {
        throw error("expected 2, 7 or 8 columns (video_id,timestamp[,x1,y1,x2,y2,action_id[,score]]), found " + cols);
      }
      int r = rowStart + count;
      rows.key[r] = video(s, commas[0]);
      timestamps[r] = integer(commas[0] + 1, cols == 2 ? e : commas[1], "timestamp");
      if (cols == 2) {
        rows.keyOnly[r] = true;
        rows.score[r] = 1.0;
      } else {
        rows.x1[r] = decimal(commas[1] + 1, commas[2], "x1");
        rows.y1[r] = decimal(commas[2] + 1, commas[3], "y1");
        rows.x2[r] = decimal(commas[3] + 1, commas[4], "x2");
        rows.y2[r] = decimal(commas[4] + 1, commas[5], "y2");
        rows.action[r] = integer(commas[5] + 1, cols == 7 ? e : commas[6], "action_id");
        rows.score[r] = cols == 8 ? decimal(commas[6] + 1, e, "score") : 1.0;
      }
      count++;
    }

    private int video(int s, int e) {
      int len = e - s;
      if (lastVideoStart >= 0 && len == lastVideoLen) {
        boolean same = true;
        for (int i = 0; i < len; i++) {
          if (b.get(s + i) != b.get(lastVideoStart + i)) {
            same = false;
            break;
          }
        }
        if (same) {
          lastVideoStart = s;
          return lastVideoId;
        }
      }
      String name = text(s, e);
      Integer id = videoIds.get(name);
      if (id == null) {
        id = videoNames.size();
        videoNames.add(name);
        videoIds.put(name, id);
      }
      lastVideoStart = s;
      lastVideoLen = len;
      lastVideoId = id;
      return id;
    }

    private String text(int s, int e) {
      byte[] bytes = new byte[e - s];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = b.get(s + i);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }

    private int integer(int s, int e, String what) {
      int a = s;
      int z = e;
      while (a < z && (b.get(a) == ' ' || b.get(a) == '\t')) {
        a++;
      }
      while (z > a && (b.get(z - 1) == ' ' || b.get(z - 1) == '\t')) {
        z--;
      }
      int i = a;
      boolean neg = false;
      if (i < z && (b.get(i) == '-' || b.get(i) == '+')) {
        neg = b.get(i) == '-';
        i++;
      }
      if (i == z) {
        throw error("bad " + what + " '" + text(s, e) + "': not an integer");
      }
      long v = 0;
      for (; i < z; i++) {
        int d = b.get(i) - '0';
        if (d < 0 || d > 9) {
          throw error("bad " + what + " '" + text(s, e) + "': not an integer");
        }
        v = v * 10 + d;
        if (v > Integer.MAX_VALUE) {
          throw error("bad " + what + " '" + text(s, e) + "': out of range");
        }
      }
      return (int) (neg ? -v : v);
    }

    private double decimal(int s, int e, String what) {
      int a = s;
      int z = e;
      while (a < z && (b.get(a) == ' ' || b.get(a) == '\t')) {
        a++;
      }
      while (z > a && (b.get(z - 1) == ' ' || b.get(z - 1) == '\t')) {
        z--;
      }
      int i = a;
      boolean neg = false;
      if (i < z && (b.get(i) == '-' || b.get(i) == '+')) {
        neg = b.get(i) == '-';
        i++;
      }
      long m = 0;
      int exp10 = 0;
      int digits = 0;
      boolean exact = true;
      while (i < z && b.get(i) >= '0' && b.get(i) <= '9') {
        int d = b.get(i++) - '0';
        digits++;
        if (m < 100_000_000_000_000_000L) {
          m = m * 10 + d;
        } else {
          exp10++;
          exact = false;
        }
      }
      if (i < z && b.get(i) == '.') {
        i++;
        while (i < z && b.get(i) >= '0' && b.get(i) <= '9') {
          int d = b.get(i++) - '0';
          digits++;
          if (m < 100_000_000_000_000_000L) {
            m = m * 10 + d;
            exp10--;
          } else {
            exact = false;
          }
        }
      }
      if (digits == 0) {
        throw error("bad " + what + " '" + text(s, e) + "': not a decimal number");
      }
      if (i < z && (b.get(i) == 'e' || b.get(i) == 'E')) {
        i++;
        boolean eneg = false;
        if (i < z && (b.get(i) == '-' || b.get(i) == '+')) {
          eneg = b.get(i) == '-';
          i++;
        }
        int ed = 0;
        int ev = 0;
        while (i < z && b.get(i) >= '0' && b.get(i) <= '9') {
          ev = Math.min(ev * 10 + (b.get(i++) - '0'), 100_000);
          ed++;
        }
        if (ed == 0) {
          throw error("bad " + what + " '" + text(s, e) + "': not a decimal number");
        }
        exp10 += eneg ? -ev : ev;
      }
      if (i != z) {
        throw error("bad " + what + " '" + text(s, e) + "': not a decimal number");
      }
      if (exact && m <= (1L << 53) && exp10 >= -22 && exp10 <= 22) {
        // one correctly rounded IEEE operation on exact operands: the nearest double
        double v = exp10 < 0 ? m / POW10[-exp10] : m * POW10[exp10];
        return neg ? -v : v;
      }
      return Double.parseDouble(text(a, z));
    }
  }
}
