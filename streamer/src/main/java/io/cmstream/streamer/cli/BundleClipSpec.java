package io.cmstream.streamer.cli;

import io.cmstream.common.clip.ClipSpec;
import io.cmstream.schemas.manifest.BundleManifests;
import java.nio.file.Path;

/**
 * The clip sampling of a model bundle (its manifest, mapped by {@link ClipSpec#of}, the mapping the
 * runtime's ModelBundle uses too), so serving samples as training did. The streamer reads the
 * manifest itself to stay free of ONNX Runtime.
 */
final class BundleClipSpec {
  private BundleClipSpec() {}

  static ClipSpec read(Path bundle) {
    return ClipSpec.of(BundleManifests.read(bundle).clip());
  }
}
