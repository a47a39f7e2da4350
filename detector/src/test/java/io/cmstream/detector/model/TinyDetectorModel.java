package io.cmstream.detector.model;

import io.cmstream.common.format.LabelMap;
import io.cmstream.runtime.Device;
import io.cmstream.runtime.OrtSessionFactory;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.runtime.TinyCmModel;
import java.util.ArrayList;
import java.util.List;

/** The tiny CM model of runtime's test fixture ({@link TinyCmModel}) as a {@link DetectorModel}. */
public final class TinyDetectorModel {
  private TinyDetectorModel() {}

  /** The model of {@code seed}, trained (nominally) with back 2, ahead 2, without a bundle. */
  public static DetectorModel of(long seed) {
    byte[] enc = TinyCmModel.encoder(seed);
    byte[] head = TinyCmModel.head(seed);
    List<LabelMap.Label> classes = new ArrayList<>();
    for (int k = 0; k < TinyCmModel.CLASSES; k++) {
      classes.add(new LabelMap.Label(k + 1, "action" + (k + 1)));
    }
    return new DetectorModel(
        "tiny:" + seed,
        TinyCmModel.CLIP_SPEC,
        TinyCmModel.MEMORY_DIM,
        classes,
        2,
        2,
        () ->
            OnnxClipInference.open(
                enc,
                head,
                TinyCmModel.CHANNELS,
                TinyCmModel.MEMORY_DIM,
                TinyCmModel.CLASSES,
                new OrtSessionFactory(SessionSettings.on(Device.CPU))));
  }
}
