package io.cmstream.ava.format;

import io.cmstream.common.format.AvaFormatException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Line-oriented reading and writing shared by the AVA file formats: splits each line into fields,
 * parses numbers strictly and reports every problem as {@code file:line: message}. Blank lines are
 * skipped; a trailing {@code \r} (CRLF files) is ignored.
 */
public final class AvaCsv {
  private AvaCsv() {}

  /** The fields of one line, with its position for error messages. */
  public static final class Fields {
    private final String file;
    private final long line;
    private final String[] cols;

    Fields(String file, long line, String[] cols) {
      this.file = file;
      this.line = line;
      this.cols = cols;
    }

    public int count() {
      return cols.length;
    }

    public long line() {
      return line;
    }

    public String text(int i) {
      return cols[i];
    }

    public AvaFormatException error(String problem) {
      return new AvaFormatException(file, line, problem);
    }

    /** Fails unless the line has one of the given numbers of columns. */
    public void expectColumns(String format, int... allowed) {
      for (int a : allowed) {
        if (cols.length == a) {
          return;
        }
      }
      StringBuilder want = new StringBuilder();
      for (int i = 0; i < allowed.length; i++) {
        want.append(i == 0 ? "" : " or ").append(allowed[i]);
      }
      throw error("expected " + want + " columns (" + format + "), found " + cols.length);
    }

    public String nonEmpty(int i, String name) {
      String s = cols[i];
      if (s.isEmpty()) {
        throw error(name + " is empty");
      }
      return s;
    }

    public int integer(int i, String name) {
      String s = cols[i].strip();
      try {
        if (!s.matches("[+-]?[0-9]+")) {
          throw new NumberFormatException();
        }
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw error("bad " + name + " '" + cols[i] + "': not an integer");
      }
    }

    public double decimal(int i, String name) {
      String s = cols[i].strip();
      if (!isDecimal(s)) {
        throw error("bad " + name + " '" + cols[i] + "': not a decimal number");
      }
      return Double.parseDouble(s);
    }

    public FrameKey key(int videoCol, int timestampCol) {
      String video = nonEmpty(videoCol, "video_id");
      int ts = integer(timestampCol, "timestamp");
      if (ts < 0) {
        throw error("bad timestamp '" + cols[timestampCol] + "': negative");
      }
      return new FrameKey(video, ts);
    }

    /** Reads four columns {@code x1,y1,x2,y2} starting at {@code from} as a normalised box. */
    public Box box(int from) {
      double x1 = decimal(from, "x1");
      double y1 = decimal(from + 1, "y1");
      double x2 = decimal(from + 2, "x2");
      double y2 = decimal(from + 3, "y2");
      try {
        return new Box(x1, y1, x2, y2);
      } catch (IllegalArgumentException e) {
        throw error("bad box: " + e.getMessage());
      }
    }
  }

  /** {@code [+-]digits[.digits][e[+-]digits]} or {@code [+-].digits...}: what AVA files hold. */
  public static boolean isDecimal(CharSequence s) {
    int n = s.length();
    int i = 0;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        exp++;
      }
      if (exp == 0) {
        return false;
      }
    }
    return i == n;
  }

  /**
   * Calls {@code sink} with the fields of every non-blank line of {@code file}; a space separator
   * means runs of whitespace (as Python's {@code str.split()}).
   */
  public static void forEachLine(Path file, char separator, Consumer<Fields> sink) {
    String name = file.toString();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.endsWith("\r")) {
          line = line.substring(0, line.length() - 1);
        }
        if (line.isBlank()) {
          continue;
        }
        String[] cols = separator == ' ' ? line.strip().split("\\s+") : split(line, separator);
        sink.accept(new Fields(name, no, cols));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** Reads every non-blank line of {@code file} through {@code parser}. */
  public static <T> List<T> readAll(Path file, Function<Fields, T> parser) {
    List<T> out = new ArrayList<>();
    forEachLine(file, ',', f -> out.add(parser.apply(f)));
    return out;
  }

  static String[] split(String line, char sep) {
    List<String> parts = new ArrayList<>(8);
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == sep) {
        parts.add(line.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(line.substring(start));
    return parts.toArray(String[]::new);
  }

  /** Writes one line per item, creating parent folders. */
  public static <T> void writeLines(Path file, Iterable<T> items, Function<T, String> format) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (T item : items) {
          w.write(format.apply(item));
          w.write('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** A number as a plain decimal that reads back to the same double ({@code 0.25}, {@code 1}). */
  public static String number(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("not a finite number: " + v);
    }
    if (v == 0.0) {
      return "0";
    }
    String s = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    return s;
  }
}
