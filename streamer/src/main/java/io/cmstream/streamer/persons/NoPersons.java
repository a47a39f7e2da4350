package io.cmstream.streamer.persons;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** No person boxes at all (every clip is published with an empty box list). */
public final class NoPersons implements PersonBoxSource {
  @Override
  public List<PersonBox> boxes(int second, Mat keyframe) {
    return List.of();
  }

  @Override
  public String name() {
    return "none";
  }
}
