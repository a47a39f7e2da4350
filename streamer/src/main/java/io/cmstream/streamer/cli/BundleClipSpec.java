package io.cmstream.streamer.cli;

import io.cmstream.ava.clip.ClipSpec;
import io.cmstream.schemas.manifest.BundleManifests;
import io.cmstream.schemas.manifest.ModelManifest;
import java.nio.file.Path;

/**
 * The clip sampling of a model bundle (its manifest), so serving samples as training did. (The
 * runtime module has the same mapping in ModelBundle.clipSpec; the streamer reads the manifest
 * itself to stay free of ONNX Runtime.)
 */
final class BundleClipSpec {
  private BundleClipSpec() {}

  static ClipSpec read(Path bundle) {
    ModelManifest.Clip c = BundleManifests.read(bundle).clip();
    float[] mean = new float[3];
    float[] std = new float[3];
    for (int i = 0; i < 3; i++) {
      mean[i] = c.mean().get(i).floatValue();
      std[i] = c.std().get(i).floatValue();
    }
    return new ClipSpec(c.frames(), c.stride(), c.fps(), c.shortSide(), c.cropSize(), mean, std);
  }
}
