package io.cmstream.trainer.importer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.checkpoint.ParamsFile;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Imports a source model zoo's Slow-only checkpoint as a trainer checkpoint ({@code RUN_DIR/last}:
 * {@code model.json} + {@code params.bin}, and the label map beside it): the architecture from the
 * source's config, every backbone array by the source's names (and the head's for a detection
 * checkpoint), checked key by key and shape by shape. The model has no memory: it computes what the
 * source computes; {@code train --init-from} adds one.
 */
public final class ModelImporter {
  /** AVA's frame rate: the sources sample their clips at the videos' 30 fps. */
  public static final double SOURCE_FPS = 30;

  /** The label map copied beside the checkpoint folder ({@code RUN_DIR/labelmap.pbtxt}). */
  public static final String LABEL_MAP = "labelmap.pbtxt";

  private static final int NAMED = 3;

  private ModelImporter() {}

  /** What an import did, for the one-line report. */
  public record Result(
      Path checkpoint, ModelConfig config, int arrays, boolean head, List<String> notes) {}

  /** Where the source's architecture and arrays come from. */
  public record Source(
      ModelConfig config,
      boolean detection,
      int headClasses,
      boolean bgr,
      SourceNaming naming,
      Map<String, WeightArray> arrays,
      List<String> notes) {}

  public static Result run(
      String from,
      Path checkpoint,
      Path config,
      Path labelMapFile,
      Path runDir,
      NDManager manager) {
    for (Path p : List.of(checkpoint, config, labelMapFile)) {
      if (!Files.isRegularFile(p)) {
        throw new SourceFormatException("no such file: " + p);
      }
    }
    Source src =
        switch (from) {
          case "pyslowfast" -> pySlowFast(checkpoint, config);
          case "mmaction2" -> mmaction2(checkpoint, config);
          default ->
              throw new IllegalArgumentException(
                  "unknown source '" + from + "' (expected pyslowfast or mmaction2)");
        };
    return write(src, checkpoint.getFileName().toString(), labelMapFile, runDir, manager);
  }

  /** Checks a read source against the label map and the model, and writes the checkpoint. */
  static Result write(
      Source src, String checkpoint, Path labelMapFile, Path runDir, NDManager manager) {
    LabelMap labels = LabelMapPbtxt.read(labelMapFile);
    int k = labels.labels().size();
    if (src.detection() && k != src.headClasses()) {
      throw new SourceFormatException(
          "the label map "
              + labelMapFile
              + " has "
              + k
              + " classes but the checkpoint's head has "
              + src.headClasses());
    }
    ModelConfig cfg = src.config().withNumClasses(k);
    CmDetector model = new CmDetector(cfg);
    model.initialize(manager);
    Map<String, Parameter> targets = WeightTargets.of(model, src.naming(), src.detection());
    Map<String, WeightArray> arrays = src.arrays();
    check(targets, arrays, src, checkpoint);
    for (Map.Entry<String, Parameter> t : targets.entrySet()) {
      WeightArray a = arrays.get(t.getKey());
      NDArray dst = t.getValue().getArray();
      long[] want = dst.getShape().getShape();
      if (!Arrays.equals(a.shape(), want)) {
        if (product(a.shape()) == product(want) && a.shape().length < want.length) {
          a =
              a.reshaped(
                  want); // Caffe2 drops trailing unit dimensions, PySlowFast reshapes them back
        } else {
          throw new SourceFormatException(
              String.format(
                  Locale.ROOT,
                  "%s: '%s' has shape %s, the model expects %s",
                  checkpoint,
                  t.getKey(),
                  a.shapeText(),
                  Arrays.toString(want)));
        }
      }
      float[] values = a.values();
      if (src.bgr() && t.getKey().equals(src.naming().stemConv() + ".weight")) {
        values = reverseInputChannels(values, want);
      }
      try (NDManager tmp = manager.newSubManager()) {
        dst.subi(dst).addi(tmp.create(values, new Shape(want)));
      }
    }
    Path last = runDir.resolve("last");
    try {
      Files.createDirectories(last);
      Files.copy(labelMapFile, runDir.resolve(LABEL_MAP), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + runDir, e);
    }
    int[] ids = labels.labels().stream().mapToInt(LabelMap.Label::id).toArray();
    new CheckpointMeta(cfg, SOURCE_FPS, 1, ids, 0, 0, 0, null).write(last);
    ParamsFile.save(model, last.resolve(CheckpointMeta.PARAMS));
    return new Result(last, cfg, targets.size(), src.detection(), src.notes());
  }

  static Source pySlowFast(Path checkpoint, Path config) {
    PySlowFastConfig c = PySlowFastConfig.read(config);
    String name = checkpoint.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, WeightArray> arrays =
        name.endsWith(".pkl")
            ? Caffe2Blobs.read(checkpoint)
            : TorchCheckpoint.readStateDict(checkpoint, "model_state");
    List<String> notes = new ArrayList<>();
    if (!c.adapted().isEmpty()) {
      notes.add(c.adapted());
    }
    if (c.bgr()) {
      notes.add("AVA.BGR: the stem's input channels reversed to take RGB clips");
    }
    int headClasses = c.sourceClasses();
    WeightArray w = arrays.get(SourceNaming.PYSLOWFAST.head() + ".weight");
    if (c.detection() && w != null && w.shape().length >= 1) {
      headClasses = (int) w.shape()[0];
    }
    if (name.endsWith(".pkl")) {
      fillCaffe2BatchNorm(arrays, notes);
    }
    return new Source(
        c.config(), c.detection(), headClasses, c.bgr(), SourceNaming.PYSLOWFAST, arrays, notes);
  }

  static Source mmaction2(Path checkpoint, Path config) {
    MmactionConfig c = MmactionConfig.read(config);
    Map<String, WeightArray> arrays = TorchCheckpoint.readStateDict(checkpoint, "state_dict");
    List<String> notes = new ArrayList<>();
    if (!c.adapted().isEmpty()) {
      notes.add(c.adapted());
    }
    if (c.bgr()) {
      notes.add("data_preprocessor.to_rgb: the stem's input channels reversed to take RGB clips");
    }
    int headClasses = c.sourceClasses();
    String head = SourceNaming.MMACTION2.head();
    WeightArray w = arrays.get(head + ".weight");
    WeightArray b = arrays.get(head + ".bias");
    if (c.detection() && w != null && w.shape().length == 2) {
      headClasses = (int) w.shape()[0];
      if (c.background() && b != null && b.shape().length == 1 && b.shape()[0] == headClasses) {
        arrays.put(head + ".weight", dropFirstRow(w));
        arrays.put(head + ".bias", dropFirstRow(b));
        notes.add(
            head
                + ": row 0, the background class (bbox_head.background_class), dropped: "
                + (headClasses - 1)
                + " action classes");
      }
      if (c.background()) {
        headClasses--;
      }
    } else if (c.detection() && c.background()) {
      headClasses--;
    }
    return new Source(
        c.config(), c.detection(), headClasses, c.bgr(), SourceNaming.MMACTION2, arrays, notes);
  }

  /** The array without its first row (a [K+1, C] weight or [K+1] bias -> K). */
  private static WeightArray dropFirstRow(WeightArray a) {
    long[] shape = a.shape();
    int row = a.values().length / (int) shape[0];
    shape[0]--;
    return new WeightArray(shape, Arrays.copyOfRange(a.values(), row, a.values().length));
  }

  /**
   * PySlowFast leaves a batch norm's running statistics at PyTorch's initial values (mean 0, var 1)
   * when a Caffe2 checkpoint has its scale and shift but not them (affine-only Caffe2 BN).
   */
  private static void fillCaffe2BatchNorm(Map<String, WeightArray> arrays, List<String> notes) {
    int filled = 0;
    for (String k : List.copyOf(arrays.keySet())) {
      if (!k.endsWith("bn.weight")) {
        continue;
      }
      String base = k.substring(0, k.length() - "weight".length());
      long[] shape = arrays.get(k).shape();
      int n = arrays.get(k).values().length;
      if (!arrays.containsKey(base + "running_mean") && !arrays.containsKey(base + "running_var")) {
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        arrays.put(base + "running_mean", new WeightArray(shape, new float[n]));
        arrays.put(base + "running_var", new WeightArray(shape, ones));
        filled++;
      }
    }
    if (filled > 0) {
      notes.add(
          filled
              + " Caffe2 batch norms without running statistics kept PyTorch's mean 0 / var 1, as PySlowFast does");
    }
  }

  private static void check(
      Map<String, Parameter> targets, Map<String, WeightArray> arrays, Source src, String file) {
    List<String> missing = new ArrayList<>();
    for (String k : targets.keySet()) {
      if (!arrays.containsKey(k)) {
        missing.add(k);
      }
    }
    if (!missing.isEmpty()) {
      throw new SourceFormatException(
          file + " misses " + missing.size() + " key(s) the model needs: " + first(missing));
    }
    Set<String> expected = new HashSet<>(targets.keySet());
    List<String> unexpected = new ArrayList<>();
    for (String k : arrays.keySet()) {
      if (!expected.contains(k) && !k.endsWith(".num_batches_tracked") && !droppedHead(k, src)) {
        unexpected.add(k);
      }
    }
    if (!unexpected.isEmpty()) {
      throw new SourceFormatException(
          file
              + " has "
              + unexpected.size()
              + " key(s) this architecture does not: "
              + first(unexpected)
              + " ("
              + src.naming().supported()
              + ")");
    }
  }

  /**
   * A classification checkpoint's classifier, dropped: the detection head is trained from scratch.
   */
  private static boolean droppedHead(String key, Source src) {
    if (src.detection()) {
      return false;
    }
    return key.startsWith(src.naming().classifier());
  }

  private static String first(List<String> keys) {
    return String.join(", ", keys.subList(0, Math.min(NAMED, keys.size())))
        + (keys.size() > NAMED ? ", ..." : "");
  }

  private static long product(long[] s) {
    long n = 1;
    for (long d : s) {
      n *= d;
    }
    return n;
  }

  /** Conv weight [O, 3, ...]: input channel c takes what was channel 2 - c. */
  static float[] reverseInputChannels(float[] w, long[] shape) {
    int o = (int) shape[0];
    int in = (int) shape[1];
    int per = (int) (product(shape) / ((long) o * in));
    float[] out = new float[w.length];
    for (int i = 0; i < o; i++) {
      for (int c = 0; c < in; c++) {
        System.arraycopy(w, (i * in + (in - 1 - c)) * per, out, (i * in + c) * per, per);
      }
    }
    return out;
  }
}
