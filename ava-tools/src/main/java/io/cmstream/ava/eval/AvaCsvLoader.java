package io.cmstream.ava.eval;

import io.cmstream.common.format.AvaFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
 * Loads an AVA CSV (ground truth or detections, 2, 7 or 8 columns) into {@link AvaRows}, fast: the
 * file is cut at line boundaries into segments that are read in blocks and parsed in parallel by
 * hand (no String per field, exact decimal conversion with a fallback to {@link
 * Double#parseDouble}), each straight into its slice of the output columns. Errors name the file
 * and the line.
 */
final class AvaCsvLoader {
  private static final int MAX_LINE = 1 << 20;
  private static final double[] POW10 = new double[23];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private final ExecutorService pool;
  private final int parallelism;
  private final int block;

  AvaCsvLoader(ExecutorService pool, int parallelism) {
    this(pool, parallelism, 8 << 20);
  }

  /**
   * @param block bytes read at a time per segment (plus room for one line of up to 1 MB)
   */
  AvaCsvLoader(ExecutorService pool, int parallelism, int block) {
    this.pool = pool;
    this.parallelism = Math.max(1, parallelism);
    this.block = block;
  }

  /** Reads {@code file}; key ids are taken from (and added to) {@code keys}. */
  AvaRows load(Path file, KeyIndex keys, LongConsumer bytesDone) {
    String name = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long[] cuts = split(ch, size);
      int n = cuts.length - 1;
      // pass 1: lines per segment, so that every segment writes into its own slice
      long[] lines = new long[n];
      runAll(n, i -> lines[i] = countLines(ch, cuts[i], cuts[i + 1], block));
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
            Segment s =
                new Segment(
                    ch, cuts[i], cuts[i + 1], block, rows, timestamps, rowStart[i], bytesDone);
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

  /** Segment boundaries: {@code parallelism} pieces of the file, each ending after a newline. */
  private long[] split(FileChannel ch, long size) throws IOException {
    int n = size < (4 << 20) ? 1 : parallelism;
    List<Long> cuts = new ArrayList<>();
    cuts.add(0L);
    long start = 0;
    byte[] probe = new byte[64 << 10];
    for (int i = 1; i < n; i++) {
      long at = Math.max(start, size * i / n);
      // move the cut to just after the next newline
      long end = -1;
      while (end < 0 && at < size) {
        int got = read(ch, at, probe, 0, (int) Math.min(probe.length, size - at));
        for (int j = 0; j < got; j++) {
          if (probe[j] == '\n') {
            end = at + j + 1;
            break;
          }
        }
        at += got;
      }
      if (end < 0 || end >= size) {
        break;
      }
      cuts.add(end);
      start = end;
    }
    cuts.add(size);
    return cuts.stream().mapToLong(Long::longValue).toArray();
  }

  /** Reads up to {@code len} bytes at file position {@code pos}; returns how many were read. */
  static int read(FileChannel ch, long pos, byte[] dst, int off, int len) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
    while (bb.hasRemaining()) {
      int r = ch.read(bb, pos + bb.position() - off);
      if (r < 0) {
        break;
      }
    }
    return bb.position() - off;
  }

  private static long countLines(FileChannel ch, long start, long end, int block)
      throws IOException {
    byte[] buf = new byte[block];
    long n = 0;
    byte last = '\n';
    for (long pos = start; pos < end; ) {
      int got = read(ch, pos, buf, 0, (int) Math.min(buf.length, end - pos));
      if (got == 0) {
        break;
      }
      for (int i = 0; i < got; i++) {
        if (buf[i] == '\n') {
          n++;
        }
      }
      last = buf[got - 1];
      pos += got;
    }
    return last != '\n' ? n + 1 : n;
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
    private final FileChannel ch;
    private final long start;
    private final long end;
    private byte[] b;
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

    private final int block;

    Segment(
        FileChannel ch,
        long start,
        long end,
        int block,
        AvaRows rows,
        int[] timestamps,
        int rowStart,
        LongConsumer bytesDone) {
      this.ch = ch;
      this.block = block;
      this.start = start;
      this.end = end;
      this.rows = rows;
      this.timestamps = timestamps;
      this.rowStart = rowStart;
      this.bytesDone = bytesDone;
    }

    void parse() throws IOException {
      b = new byte[(int) Math.min((long) block + MAX_LINE, end - start + 1)];
      int have = 0;
      long pos = start;
      while (true) {
        int got = read(ch, pos, b, have, (int) Math.min(b.length - have, end - pos));
        pos += got;
        have += got;
        boolean last = pos >= end || got == 0;
        int s = 0;
        while (true) {
          int nl = s;
          while (nl < have && b[nl] != '\n') {
            nl++;
          }
          if (nl == have && !last) {
            break; // an incomplete line: keep it for the next block
          }
          line++;
          int lineEnd = nl;
          if (lineEnd > s && b[lineEnd - 1] == '\r') {
            lineEnd--;
          }
          parseLine(s, lineEnd);
          s = nl + 1;
          if (s >= have) {
            break;
          }
        }
        bytesDone.accept(Math.min(s, have));
        if (last) {
          return;
        }
        if (s < have) {
          System.arraycopy(b, s, b, 0, have - s);
        }
        lastVideoStart = -1; // the bytes it pointed to have moved
        have = Math.max(0, have - s);
        if (have >= b.length) {
          throw new LineError(line + 1, "line longer than " + MAX_LINE + " bytes");
        }
      }
    }

    private LineError error(String msg) {
      return new LineError(line, msg);
    }

    private void parseLine(int s, int e) {
      int nc = 0;
      boolean blank = true;
      for (int i = s; i < e; i++) {
        byte c = b[i];
        if (c == ',') {
          if (nc == 8) {
            throw error(
                "expected 2, 7 or 8 columns (video_id,timestamp[,x1,y1,x2,y2,action_id[,score]]), found more than 8");
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
        throw error(
            "expected 2, 7 or 8 columns (video_id,timestamp[,x1,y1,x2,y2,action_id[,score]]), found "
                + cols);
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
          if (b[s + i] != b[lastVideoStart + i]) {
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
        bytes[i] = b[s + i];
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }

    private int integer(int s, int e, String what) {
      int a = s;
      int z = e;
      while (a < z && (b[a] == ' ' || b[a] == '\t')) {
        a++;
      }
      while (z > a && (b[z - 1] == ' ' || b[z - 1] == '\t')) {
        z--;
      }
      int i = a;
      boolean neg = false;
      if (i < z && (b[i] == '-' || b[i] == '+')) {
        neg = b[i] == '-';
        i++;
      }
      if (i == z) {
        throw error("bad " + what + " '" + text(s, e) + "': not an integer");
      }
      long v = 0;
      for (; i < z; i++) {
        int d = b[i] - '0';
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
      while (a < z && (b[a] == ' ' || b[a] == '\t')) {
        a++;
      }
      while (z > a && (b[z - 1] == ' ' || b[z - 1] == '\t')) {
        z--;
      }
      int i = a;
      boolean neg = false;
      if (i < z && (b[i] == '-' || b[i] == '+')) {
        neg = b[i] == '-';
        i++;
      }
      long m = 0;
      int exp10 = 0;
      int digits = 0;
      boolean exact = true;
      while (i < z && b[i] >= '0' && b[i] <= '9') {
        int d = b[i++] - '0';
        digits++;
        if (m < 100_000_000_000_000_000L) {
          m = m * 10 + d;
        } else {
          exp10++;
          exact = false;
        }
      }
      if (i < z && b[i] == '.') {
        i++;
        while (i < z && b[i] >= '0' && b[i] <= '9') {
          int d = b[i++] - '0';
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
      if (i < z && (b[i] == 'e' || b[i] == 'E')) {
        i++;
        boolean eneg = false;
        if (i < z && (b[i] == '-' || b[i] == '+')) {
          eneg = b[i] == '-';
          i++;
        }
        int ed = 0;
        int ev = 0;
        while (i < z && b[i] >= '0' && b[i] <= '9') {
          ev = Math.min(ev * 10 + (b[i++] - '0'), 100_000);
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
