package io.cmstream.common.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes label maps in both AVA pbtxt dialects: {@code item { name: "..." id: N }} and
 * {@code label { name: "..." label_id: N label_type: T }} (fields in any order, on one line or
 * many, {@code #} comments allowed). Anything else is an error naming file and line.
 */
public final class LabelMapPbtxt {
  private LabelMapPbtxt() {}

  public static LabelMap read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), text);
  }

  /** Parses label-map text; {@code name} is used in error messages. */
  public static LabelMap parse(String name, String text) {
    Tokens t = new Tokens(name, text);
    List<LabelMap.Label> labels = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    while (t.peek() != null) {
      int blockLine = t.line();
      String block = t.next();
      LabelMap.Dialect dialect;
      if (block.equals("item")) {
        dialect = LabelMap.Dialect.ITEM;
      } else if (block.equals("label")) {
        dialect = LabelMap.Dialect.LABEL;
      } else {
        throw t.error(
            blockLine, "unknown label-map syntax '" + block + "': expected 'item {' or 'label {'");
      }
      t.expect("{");
      String labelName = null;
      Integer id = null;
      String type = "";
      while (!"}".equals(t.peek())) {
        if (t.peek() == null) {
          throw t.error(
              t.line(),
              "unexpected end of file inside '" + block + " {' opened at line " + blockLine);
        }
        int fieldLine = t.line();
        String field = t.next();
        t.expect(":");
        int valueLine = t.line();
        String value = t.next();
        if (value == null) {
          throw t.error(valueLine, "missing value of '" + field + "'");
        }
        boolean isId =
            dialect == LabelMap.Dialect.ITEM ? field.equals("id") : field.equals("label_id");
        if (field.equals("name")
            || (dialect == LabelMap.Dialect.ITEM && field.equals("display_name"))) {
          if (!value.startsWith("\"")) {
            throw t.error(valueLine, "'" + field + "' must be a quoted string, found " + value);
          }
          if (field.equals("name")) {
            labelName = value.substring(1);
          }
        } else if (isId) {
          try {
            id = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw t.error(valueLine, "bad " + field + " '" + value + "': not an integer");
          }
          if (id < 1) {
            throw t.error(valueLine, "bad " + field + " " + id + ": label ids start at 1");
          }
          if (ids.contains(id)) {
            throw t.error(valueLine, "duplicate " + field + " " + id);
          }
        } else if (dialect == LabelMap.Dialect.LABEL && field.equals("label_type")) {
          type = value.startsWith("\"") ? value.substring(1) : value;
        } else {
          throw t.error(
              fieldLine, "unknown label-map syntax: field '" + field + "' in '" + block + " {'");
        }
      }
      t.expect("}");
      if (labelName == null || id == null) {
        throw t.error(
            blockLine,
            "'"
                + block
                + " {' needs both name and "
                + (dialect == LabelMap.Dialect.ITEM ? "id" : "label_id"));
      }
      ids.add(id);
      labels.add(new LabelMap.Label(id, labelName, type));
    }
    if (labels.isEmpty()) {
      throw new AvaFormatException(name, 0, "label map has no classes");
    }
    return new LabelMap(labels);
  }

  public static void write(Path file, LabelMap map, LabelMap.Dialect dialect) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, format(map, dialect), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The text of a label map, in the layout AVA's files (and the reference reader) use. */
  public static String format(LabelMap map, LabelMap.Dialect dialect) {
    StringBuilder b = new StringBuilder();
    for (LabelMap.Label l : map.labels()) {
      String quoted = "\"" + l.name().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      if (dialect == LabelMap.Dialect.ITEM) {
        b.append("item {\n  name: ")
            .append(quoted)
            .append("\n  id: ")
            .append(l.id())
            .append("\n}\n");
      } else {
        b.append("label {\n  name: ")
            .append(quoted)
            .append("\n  label_id: ")
            .append(l.id())
            .append('\n');
        if (!l.type().isEmpty()) {
          b.append("  label_type: ").append(l.type()).append('\n');
        }
        b.append("}\n");
      }
    }
    return b.toString();
  }

  /**
   * Tokens of the pbtxt subset: words, numbers, quoted strings (returned with a leading quote), { }
   * :.
   */
  private static final class Tokens {
    private final String file;
    private final String s;
    private int pos;
    private int line = 1;
    private String peeked;
    private int peekedLine;

    Tokens(String file, String s) {
      this.file = file;
      this.s = s;
    }

    AvaFormatException error(int atLine, String problem) {
      return new AvaFormatException(file, atLine, problem);
    }

    int line() {
      peek();
      return peeked == null ? line : peekedLine;
    }

    String peek() {
      if (peeked == null) {
        peeked = read();
      }
      return peeked;
    }

    String next() {
      String p = peek();
      peeked = null;
      return p;
    }

    void expect(String tok) {
      int l = line();
      String got = next();
      if (!tok.equals(got)) {
        throw error(
            l,
            "unknown label-map syntax: expected '"
                + tok
                + "', found "
                + (got == null ? "end of file" : "'" + got + "'"));
      }
    }

    private String read() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '\n') {
          line++;
          pos++;
        } else if (Character.isWhitespace(c)) {
          pos++;
        } else if (c == '#') {
          while (pos < s.length() && s.charAt(pos) != '\n') {
            pos++;
          }
        } else {
          break;
        }
      }
      if (pos >= s.length()) {
        return null;
      }
      peekedLine = line;
      char c = s.charAt(pos);
      if (c == '{' || c == '}' || c == ':') {
        pos++;
        return String.valueOf(c);
      }
      if (c == '"' || c == '\'') {
        char quote = c;
        StringBuilder b = new StringBuilder("\"");
        pos++;
        while (true) {
          if (pos >= s.length() || s.charAt(pos) == '\n') {
            throw error(peekedLine, "unterminated string");
          }
          char d = s.charAt(pos++);
          if (d == quote) {
            return b.toString();
          }
          if (d == '\\' && pos < s.length()) {
            char e = s.charAt(pos++);
            b.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
          } else {
            b.append(d);
          }
        }
      }
      int start = pos;
      while (pos < s.length()) {
        char d = s.charAt(pos);
        if (Character.isLetterOrDigit(d) || d == '_' || d == '-' || d == '+' || d == '.') {
          pos++;
        } else {
          break;
        }
      }
      if (pos == start) {
        throw error(peekedLine, "unknown label-map syntax: unexpected character '" + c + "'");
      }
      return s.substring(start, pos);
    }
  }
}
