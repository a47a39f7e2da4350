package io.cmstream.detector.model;

import io.cmstream.ava.clip.ClipSpec;
import io.cmstream.runtime.ModelBundle;
import io.cmstream.runtime.OrtSessionFactory;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.schemas.manifest.ModelManifest;
import java.nio.file.Path;
import java.util.List;

/**
 * A model bundle folder as a {@link DetectorModel}: opened (and verified: sha256, opsets, label
 * map, graph shapes) once here to fail fast, then once per stream thread by the runtime's
 * {@link ModelBundle}, all sessions from one {@link OrtSessionFactory} (one device decision).
 */
public final class BundleLoader {

  private BundleLoader() {}

  public static DetectorModel load(Path bundle, SessionSettings settings) {
    OrtSessionFactory sessions = new OrtSessionFactory(settings);
    ModelManifest m;
    try (ModelBundle check = ModelBundle.open(bundle, sessions)) {
      m = check.manifest();
    }
    ModelManifest.Clip c = m.clip();
    ClipSpec spec = new ClipSpec(c.frames(), c.stride(), c.fps(), c.shortSide(), 0, floats(c.mean()), floats(c.std()));
    List<ActionClass> classes = m.classes().stream().map(e -> new ActionClass(e.id(), e.name())).toList();
    return new DetectorModel(m.qualifiedId(), spec, m.dims().memoryChannels(), classes, m.window().back(),
        m.window().ahead(), () -> OnnxClipInference.of(ModelBundle.open(bundle, sessions)));
  }

  private static float[] floats(List<Double> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).floatValue();
    }
    return out;
  }
}
