package io.cmstream.streamer.persons;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;

/**
 * OpenCV's HOG + linear SVM people detector (Dalal-Triggs, {@code getDefaultPeopleDetector()}: the
 * coefficients are compiled into OpenCV, nothing is downloaded). Not thread-safe: one per stream.
 */
public final class HogPersonDetector implements AutoCloseable {
  private final HogSettings settings;
  private final HOGDescriptor hog;
  private final Mat gray = new Mat();
  private final Mat scaled = new Mat();
  private final NonMaxSuppression nms;

  public HogPersonDetector(HogSettings settings) {
    this.settings = settings;
    this.hog = new HOGDescriptor();
    FloatPointer coefficients = HOGDescriptor.getDefaultPeopleDetector();
    long n = hog.getDescriptorSize() + 1; // weights + bias
    Mat detector = new Mat(1, (int) n, opencv_core.CV_32F);
    FloatPointer dst = new FloatPointer(detector.data());
    for (long i = 0; i < n; i++) {
      dst.put(i, coefficients.get(i));
    }
    hog.setSVMDetector(detector);
    this.nms = new NonMaxSuppression(settings.nmsIou());
  }

  public HogSettings settings() {
    return settings;
  }

  /** Person boxes (normalised to the frame) found on a BGR or grey frame. */
  public List<PersonBox> detect(Mat frame) {
    int w = frame.cols();
    int h = frame.rows();
    if (w == 0 || h == 0) {
      return List.of();
    }
    if (frame.channels() == 3) {
      cvtColor(frame, gray, COLOR_BGR2GRAY);
    } else {
      frame.copyTo(gray);
    }
    double f = settings.factorFor(w, h);
    Mat input = gray;
    if (Math.abs(f - 1.0) > 1e-6) {
      resize(
          gray,
          scaled,
          new Size((int) Math.round(w * f), (int) Math.round(h * f)),
          0,
          0,
          INTER_LINEAR);
      input = scaled;
    }
    if (input.cols() < 64 || input.rows() < 128) {
      return List.of();
    }
    RectVector found = new RectVector();
    DoublePointer weights = new DoublePointer();
    try {
      hog.detectMultiScale(
          input,
          found,
          weights,
          settings.hitThreshold(),
          new Size(settings.winStride(), settings.winStride()),
          new Size(settings.padding(), settings.padding()),
          settings.scale(),
          settings.groupThreshold(),
          false);
      List<PersonBox> boxes = new ArrayList<>();
      long count = found.size();
      for (long i = 0; i < count; i++) {
        Rect r = found.get(i);
        double margin = weights.isNull() || weights.limit() <= i ? 0 : weights.get(i);
        double score = 1.0 / (1.0 + Math.exp(-margin));
        if (score < settings.minScore()) {
          continue;
        }
        boxes.add(
            PersonBox.fromPixels(r.x() / f, r.y() / f, r.width() / f, r.height() / f, w, h, score));
      }
      return nms.apply(boxes);
    } finally {
      found.close();
      weights.close();
    }
  }

  @Override
  public void close() {
    hog.close();
    gray.close();
    scaled.close();
  }
}
