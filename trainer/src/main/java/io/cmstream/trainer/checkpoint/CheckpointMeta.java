package io.cmstream.trainer.checkpoint;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.DatasetException;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * {@code model.json} of a checkpoint folder (next to {@code params.bin}): the model config, the
 * clip sampling (fps, N), the classes, and how far training got.
 *
 * @param model the model config (rebuilds the same block)
 * @param fps frame rate the clip spec uses
 * @param clips N, clips per window the model was trained with
 * @param classIds label-map ids in class-index order
 * @param epoch epochs completed
 * @param step optimizer steps completed
 * @param seed training seed
 * @param data dataset folder it was trained on
 */
public record CheckpointMeta(
    ModelConfig model,
    double fps,
    int clips,
    int[] classIds,
    int epoch,
    long step,
    long seed,
    String data) {

  public static final String META = "model.json";
  public static final String PARAMS = "params.bin";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      JSON.writeValue(dir.resolve(META).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(META), e);
    }
  }

  /** Refuses a split whose label map is not the checkpoint's, in one line. */
  public void requireClassesOf(AvaSplit split) {
    if (!Arrays.equals(split.classIds(), classIds)) {
      throw new DatasetException(
          "the checkpoint's classes "
              + Arrays.toString(classIds)
              + " do not match the dataset's label map "
              + Arrays.toString(split.classIds()));
    }
  }

  /**
   * The detector this metadata describes, with every parameter read from {@code dir}'s params file,
   * on {@code manager}'s device.
   */
  public CmDetector loadDetector(Path dir, NDManager manager) {
    CmDetector model = new CmDetector(model());
    model.initialize(manager);
    ParamsFile.load(model, dir.resolve(PARAMS), manager, true);
    return model;
  }

  /** This metadata after {@code epoch} epochs and {@code step} optimizer steps. */
  public CheckpointMeta withProgress(int epoch, long step) {
    return new CheckpointMeta(model, fps, clips, classIds, epoch, step, seed, data);
  }

  /**
   * Writes {@code model}'s parameters and this metadata to the checkpoint folder {@code dir} (the
   * parameters through a temporary file, so that a folder never holds half a params file).
   */
  public void save(CmDetector model, Path dir) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(PARAMS + ".tmp");
      ParamsFile.save(model, tmp);
      Files.move(tmp, dir.resolve(PARAMS), StandardCopyOption.REPLACE_EXISTING);
      write(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + dir, e);
    }
  }

  /** The clip spec the model was trained with ({@link ModelConfig#clipSpec}). */
  public ClipSpec clipSpec() {
    return model.clipSpec(fps);
  }

  /**
   * An imported model's architecture (trainer import: the source's backbone, head and clip
   * normalisation) for K classes; its frame stride, counted at the source's fps, rescaled to keep
   * the clip's span in seconds at the dataset's fps.
   */
  public ModelConfig importedConfig(int numClasses, double datasetFps) {
    int tau = (int) Math.max(1, Math.round(model.frameStride() * datasetFps / fps));
    return model.withNumClasses(numClasses).withInput(model.frames(), tau, model.cropSize());
  }

  /** Reads a checkpoint folder's meta; a clear message when it is not a checkpoint. */
  public static CheckpointMeta read(Path dir) {
    Path f = dir.resolve(META);
    if (!Files.isRegularFile(f) || !Files.isRegularFile(dir.resolve(PARAMS))) {
      throw new IllegalArgumentException(
          "not a checkpoint folder (needs " + META + " and " + PARAMS + "): " + dir);
    }
    try {
      return JSON.readValue(f.toFile(), CheckpointMeta.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable checkpoint " + f + ": " + e.getMessage());
    }
  }
}
