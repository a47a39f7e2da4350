package io.cmstream.detector.model;

import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.schemas.manifest.BundleManifests;
import io.cmstream.schemas.manifest.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes {@link TinyCmModel} as a sealed model bundle folder (what trainer export produces). */
public final class TinyBundle {

  private TinyBundle() {}

  public static Path write(Path dir, long seed) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(ModelManifest.ENCODER), TinyCmModel.encoder(seed));
    Files.write(dir.resolve(ModelManifest.CONTEXT_HEAD), TinyCmModel.head(seed));
    List<LabelMap.Label> labels = new ArrayList<>();
    List<ModelManifest.ClassEntry> classes = new ArrayList<>();
    for (int k = 1; k <= TinyCmModel.CLASSES; k++) {
      labels.add(new LabelMap.Label(k, "action" + k));
      classes.add(new ModelManifest.ClassEntry(k, "action" + k));
    }
    LabelMapPbtxt.write(
        dir.resolve(ModelManifest.LABEL_MAP), new LabelMap(labels), LabelMap.Dialect.ITEM);
    var spec = TinyCmModel.CLIP_SPEC;
    List<Double> mean = List.of(0.45, 0.45, 0.45);
    List<Double> std = List.of(0.225, 0.225, 0.225);
    ModelManifest manifest =
        new ModelManifest(
            ModelManifest.FORMAT_VERSION,
            "tiny",
            String.valueOf(seed),
            "test",
            17,
            new ModelManifest.Clip(
                spec.frames(), spec.stride(), spec.fps(), spec.shortSide(), 0, mean, std),
            new ModelManifest.Dims(
                TinyCmModel.CHANNELS, TinyCmModel.MEMORY_DIM, TinyCmModel.CLASSES, 5),
            new ModelManifest.Window(2, 2),
            classes,
            new ModelManifest.Training("random weights (detector tests)", seed, 0.0, List.of()),
            Map.of());
    BundleManifests.seal(dir, manifest);
    return dir;
  }
}
