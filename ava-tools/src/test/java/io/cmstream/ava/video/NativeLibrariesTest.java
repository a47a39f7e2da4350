package io.cmstream.ava.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;
import org.junit.jupiter.api.Test;

class NativeLibrariesTest {

  @Test
  void shouldLoadOpenCvNativesFromTheJarsWithoutNetwork() {
    // OpenCV (with its OpenBLAS dependency) loads from the classifier jars; the HOG people
    // detector's coefficients ship inside the library (the streamer's person detector uses them)
    try (HOGDescriptor hog = new HOGDescriptor()) {
      assertEquals(3780, hog.getDescriptorSize());
      assertNotNull(HOGDescriptor.getDefaultPeopleDetector());
    }
  }
}
