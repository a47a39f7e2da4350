package io.cmstream.trainer.train;

import ai.djl.ndarray.NDManager;
import io.cmstream.ava.eval.EvalProgress;
import io.cmstream.ava.eval.FrameMapEvaluator;
import io.cmstream.ava.eval.FrameMapResult;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.infer.WindowedDetector;
import io.cmstream.trainer.model.CmDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validation frame-mAP through the project's evaluator ({@code io.cmstream.ava.eval}, the same
 * numbers as {@code ava-tools eval}): detections of the {@link WindowedDetector} are written as an
 * AVA CSV to a temporary file and evaluated against the split's ground truth and exclusions.
 */
public final class FrameMapValidation implements Validator {
  private final AvaSplit split;

  public FrameMapValidation(AvaSplit split) {
    this.split = split;
  }

  @Override
  public Result validate(CmDetector model, ClipSpec spec, int clips, NDManager manager) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("cm-val-detections", ".csv");
      DetectionsCsv.write(
          tmp, new WindowedDetector(model, spec, clips, 8).detect(split, manager, k -> {}));
      return evaluate(split, tmp, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  /**
   * Evaluates a detections CSV on the split; prints the per-class table when {@code out} is set.
   */
  public static Result evaluate(AvaSplit split, Path detections, PrintStream out) {
    Path excl = split.layout().exclusions(split.split());
    FrameMapResult r =
        new FrameMapEvaluator()
            .evaluate(
                split.layout().labelMap(),
                split.layout().groundTruth(split.split()),
                detections,
                Files.isRegularFile(excl) ? excl : null,
                EvalProgress.NONE);
    if (out != null) {
      out.println(r.table());
    }
    Map<Integer, Double> perClass = new LinkedHashMap<>();
    for (FrameMapResult.ClassAp c : r.perClass()) {
      perClass.put(c.id(), c.hasAp() ? c.ap() * 100 : null);
    }
    return new Result(r.meanAp() * 100, perClass);
  }
}
