package io.cmstream.streamer.persons;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** Person boxes from the HOG people detector run on each keyframe, tracked for stability. */
public final class HogPersonBoxes implements PersonBoxSource {
  private final HogPersonDetector detector;
  private final IouTracker tracker;

  public HogPersonBoxes(HogSettings settings, IouTracker tracker) {
    this.detector = new HogPersonDetector(settings);
    this.tracker = tracker;
  }

  @Override
  public List<PersonBox> boxes(int second, Mat keyframe) {
    return tracker.update(detector.detect(keyframe)).stream().map(IouTracker.Track::box).toList();
  }

  @Override
  public String name() {
    return "hog";
  }

  @Override
  public void close() {
    detector.close();
  }
}
