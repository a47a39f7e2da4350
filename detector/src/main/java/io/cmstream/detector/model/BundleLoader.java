package io.cmstream.detector.model;

import io.cmstream.ava.clip.ClipSpec;
import io.cmstream.schemas.manifest.BundleManifests;
import io.cmstream.schemas.manifest.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a model bundle folder for the detector: verifies every file against the sha256 of
 * {@code manifest.json}, reads the clip settings, dimensions, classes and training window, and
 * keeps the two graphs in memory so each stream thread can open its own sessions.
 */
public final class BundleLoader {

  private BundleLoader() {}

  /**
   * @param bundle the bundle folder
   * @param device where ONNX Runtime runs
   * @param intraOpThreads ONNX Runtime threads per session (0 = ONNX Runtime's default)
   */
  public static DetectorModel load(Path bundle, OrtDevice device, int intraOpThreads) {
    ModelManifest m = BundleManifests.verify(bundle);
    byte[] encoder = read(bundle.resolve(ModelManifest.ENCODER));
    byte[] head = read(bundle.resolve(ModelManifest.CONTEXT_HEAD));
    ModelManifest.Clip c = m.clip();
    ClipSpec spec = new ClipSpec(c.frames(), c.stride(), c.fps(), c.shortSide(), 0, floats(c.mean()), floats(c.std()));
    List<ActionClass> classes = m.classes().stream().map(e -> new ActionClass(e.id(), e.name())).toList();
    int channels = m.dims().channels();
    int memory = m.dims().memoryChannels();
    int k = m.dims().numClasses();
    return new DetectorModel(m.qualifiedId(), spec, memory, classes, m.window().back(), m.window().ahead(),
        () -> OnnxClipInference.open(encoder, head, channels, memory, k, device.options(intraOpThreads)));
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static float[] floats(List<Double> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).floatValue();
    }
    return out;
  }
}
