package io.cmstream.streamer.persons;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** Where the person boxes of each keyframe come from: a proposals file or a person detector. */
public interface PersonBoxSource extends AutoCloseable {

  /**
   * Person boxes of keyframe second {@code second}.
   *
   * @param keyframe the decoded keyframe (BGR, full decoded size), valid only during the call
   */
  List<PersonBox> boxes(int second, Mat keyframe);

  /** A short name for logs ("proposals", "hog"). */
  String name();

  @Override
  default void close() {}
}
