package io.cmstream.trainer.export;

import ai.djl.ndarray.NDManager;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.common.window.WindowSpan;
import io.cmstream.runtime.onnx.OnnxModel;
import io.cmstream.runtime.onnx.OnnxModelWriter;
import io.cmstream.schemas.manifest.BundleManifests;
import io.cmstream.schemas.manifest.ModelManifest;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.checkpoint.ParamsFile;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a model bundle folder from a training checkpoint: {@code encoder.onnx}, {@code
 * context_head.onnx}, {@code labelmap.pbtxt}, {@code params/} (the DJL parameters and the
 * checkpoint's model.json, for resuming) and the sealed {@code manifest.json}. No file carries a
 * path of the machine it was made on.
 */
public final class BundleExporter {

  /** Where the DJL parameters go inside the bundle. */
  public static final String PARAMS_DIR = "params";

  /**
   * What to export and how to describe it.
   *
   * @param checkpoint checkpoint folder (model.json + params.bin)
   * @param out bundle folder to write (must not exist or be empty)
   * @param labelMap label map whose classes the model was trained on
   * @param modelId model id of the manifest
   * @param modelVersion model version of the manifest
   * @param dataName name of the training data for the manifest (no path)
   * @param validationMap validation frame-mAP in [0,1]
   * @param commands the commands that produced the bundle
   */
  public record Request(
      Path checkpoint,
      Path out,
      LabelMap labelMap,
      String modelId,
      String modelVersion,
      String dataName,
      double validationMap,
      List<String> commands) {}

  private final String producerVersion;

  public BundleExporter(String producerVersion) {
    this.producerVersion = producerVersion;
  }

  /** Exports and returns the sealed manifest. */
  public ModelManifest export(Request req) {
    CheckpointMeta meta = CheckpointMeta.read(req.checkpoint());
    prepareOut(req.out());
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      CmDetector model = new CmDetector(meta.model());
      model.initialize(manager);
      ParamsFile.load(model, req.checkpoint().resolve(CheckpointMeta.PARAMS), manager, true);
      Map<String, String> metadata =
          Map.of("model_id", req.modelId(), "model_version", req.modelVersion());
      write(
          new EncoderGraph(model).build(producerVersion, metadata),
          req.out().resolve(ModelManifest.ENCODER));
      write(
          new ContextHeadGraph(model).build(producerVersion, metadata),
          req.out().resolve(ModelManifest.CONTEXT_HEAD));
    }
    List<ModelManifest.ClassEntry> classes = new ArrayList<>();
    List<LabelMap.Label> labels = new ArrayList<>();
    for (int id : meta.classIds()) {
      if (!req.labelMap().contains(id)) {
        throw new IllegalArgumentException(
            "the label map has no class " + id + " that the checkpoint was trained on");
      }
      classes.add(new ModelManifest.ClassEntry(id, req.labelMap().name(id)));
      labels.add(
          req.labelMap().labels().stream().filter(l -> l.id() == id).findFirst().orElseThrow());
    }
    LabelMapPbtxt.write(
        req.out().resolve(ModelManifest.LABEL_MAP), new LabelMap(labels), LabelMap.Dialect.LABEL);
    copyParams(req.checkpoint(), req.out().resolve(PARAMS_DIR), meta, req.dataName());

    ModelConfig cfg = meta.model();
    ClipSpec spec = meta.clipSpec();
    int n = meta.clips();
    WindowSpan window = WindowSpan.centred(n);
    ModelManifest manifest =
        new ModelManifest(
            ModelManifest.FORMAT_VERSION,
            req.modelId(),
            req.modelVersion(),
            cfg.preset(),
            (int) OnnxModel.OPSET,
            new ModelManifest.Clip(
                cfg.frames(),
                cfg.frameStride(),
                meta.fps(),
                spec.shortSide(),
                spec.cropSize(),
                doubles(spec.mean()),
                doubles(spec.std())),
            new ModelManifest.Dims(cfg.channels(), cfg.memoryChannels(), cfg.numClasses(), n),
            new ModelManifest.Window(window.back(), window.ahead()),
            classes,
            new ModelManifest.Training(
                req.dataName(), meta.seed(), req.validationMap(), req.commands()),
            Map.of());
    return BundleManifests.seal(req.out(), manifest);
  }

  private static void write(OnnxModel model, Path file) {
    try {
      new OnnxModelWriter().write(model, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void prepareOut(Path out) {
    try {
      if (Files.exists(out)) {
        if (!Files.isDirectory(out)) {
          throw new IllegalArgumentException("--out " + out + " exists and is not a folder");
        }
        try (Stream<Path> s = Files.list(out)) {
          if (s.findAny().isPresent()) {
            throw new IllegalArgumentException(
                "--out " + out + " is not empty; choose a new bundle folder");
          }
        }
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + out, e);
    }
  }

  /** params.bin as is; model.json with the data set's name instead of its path. */
  private static void copyParams(Path checkpoint, Path dir, CheckpointMeta meta, String dataName) {
    try {
      Files.createDirectories(dir);
      Files.copy(checkpoint.resolve(CheckpointMeta.PARAMS), dir.resolve(CheckpointMeta.PARAMS));
      new CheckpointMeta(
              meta.model(),
              meta.fps(),
              meta.clips(),
              meta.classIds(),
              meta.epoch(),
              meta.step(),
              meta.seed(),
              dataName)
          .write(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir, e);
    }
  }

  private static List<Double> doubles(float[] v) {
    List<Double> out = new ArrayList<>();
    for (float f : v) {
      out.add(Double.parseDouble(Float.toString(f))); // 0.45f -> 0.45, not 0.4499999881
    }
    return out;
  }
}
