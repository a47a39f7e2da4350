package io.cmstream.ava.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A tiny hand-made evaluation case written to a folder. */
final class EvalCase {
  private final Path dir;
  private final List<String> labels = new ArrayList<>();
  private final List<String> gt = new ArrayList<>();
  private final List<String> det = new ArrayList<>();
  private final List<String> excluded = new ArrayList<>();

  EvalCase(Path dir) {
    this.dir = dir;
  }

  EvalCase labels(int... ids) {
    for (int id : ids) {
      labels.add("item {\n  name: \"class " + id + "\"\n  id: " + id + "\n}\n");
    }
    return this;
  }

  /** Ground truth: key "v,ts", box "x1,y1,x2,y2", action, person. */
  EvalCase gt(String key, String box, int action, int person) {
    gt.add(key + "," + box + "," + action + "," + person);
    return this;
  }

  EvalCase det(String key, String box, int action, double score) {
    det.add(key + "," + box + "," + action + "," + score);
    return this;
  }

  EvalCase exclude(String key) {
    excluded.add(key);
    return this;
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  FrameMapResult evaluate() {
    return evaluate(new FrameMapEvaluator.Options(2, false));
  }

  FrameMapResult evaluate(FrameMapEvaluator.Options options) {
    write();
    return new FrameMapEvaluator(options)
        .evaluate(
            file("lm.pbtxt"),
            file("gt.csv"),
            file("det.csv"),
            excluded.isEmpty() ? null : file("ex.csv"),
            EvalProgress.NONE);
  }

  void write() {
    try {
      Files.writeString(file("lm.pbtxt"), String.join("", labels));
      Files.write(file("gt.csv"), gt);
      Files.write(file("det.csv"), det);
      if (!excluded.isEmpty()) {
        Files.write(file("ex.csv"), excluded);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
