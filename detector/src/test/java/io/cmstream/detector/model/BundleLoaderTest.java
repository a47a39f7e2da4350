package io.cmstream.detector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.runtime.Device;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.runtime.TinyCmModel;
import io.cmstream.schemas.manifest.InvalidBundleException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleLoaderTest {

  @TempDir Path temp;

  @Test
  void shouldLoadAVerifiedBundle() throws Exception {
    DetectorModel model =
        BundleLoader.load(TinyCmModel.write(temp.resolve("b"), 5), SessionSettings.on(Device.CPU));
    assertEquals("tiny:5", model.modelId());
    assertEquals(TinyCmModel.CLASSES, model.classes().size());
    assertEquals("action1", model.classes().get(0).name());
    assertEquals(2, model.trainingAhead());
    assertEquals(TinyCmModel.CLIP_SPEC.frames(), model.clipSpec().frames());
    try (ClipInference inference = model.inference().open()) {
      assertTrue(inference != null);
    }
  }

  @Test
  void shouldRefuseAnAlteredGraph() throws Exception {
    Path dir = TinyCmModel.write(temp.resolve("b"), 5);
    byte[] bytes = Files.readAllBytes(dir.resolve("encoder.onnx"));
    bytes[bytes.length - 1] ^= 1;
    Files.write(dir.resolve("encoder.onnx"), bytes);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> BundleLoader.load(dir, SessionSettings.on(Device.CPU)));
    assertTrue(e.getMessage().contains("encoder.onnx"), e.getMessage());
  }
}
