package io.cmstream.detector.model;

import io.cmstream.common.clip.ClipSpec;
import io.cmstream.common.format.LabelMap;
import io.cmstream.runtime.ModelBundle;
import io.cmstream.runtime.OrtSessionFactory;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.schemas.manifest.ModelManifest;
import java.nio.file.Path;
import java.util.List;

/**
 * A model bundle folder as a {@link DetectorModel}: opened (and verified: sha256, opsets, label
 * map, graph shapes) once here to fail fast, then once per stream thread by the runtime's {@link
 * ModelBundle}, all sessions from one {@link OrtSessionFactory} (one device decision).
 */
public final class BundleLoader {

  private BundleLoader() {}

  public static DetectorModel load(Path bundle, SessionSettings settings) {
    OrtSessionFactory sessions = new OrtSessionFactory(settings);
    ModelManifest m;
    try (ModelBundle check = ModelBundle.open(bundle, sessions)) {
      m = check.manifest();
    }
    ClipSpec spec = ModelBundle.clipSpec(m);
    List<LabelMap.Label> classes =
        m.classes().stream().map(e -> new LabelMap.Label(e.id(), e.name())).toList();
    return new DetectorModel(
        m.qualifiedId(),
        spec,
        m.dims().memoryChannels(),
        classes,
        m.window().back(),
        m.window().ahead(),
        () -> OnnxClipInference.of(ModelBundle.open(bundle, sessions)));
  }
}
