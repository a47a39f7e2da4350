package io.cmstream.streamer;

import io.cmstream.streamer.clip.Clip;
import io.cmstream.streamer.video.VideoInput;

/** Follows a streaming run (progress bars, tests). */
public interface StreamListener {
  default void opened(VideoInput input) {}

  default void clipWritten(Clip clip, long bytes) {}

  default void gap(StreamSummary.Gap gap) {}

  StreamListener NONE = new StreamListener() {};
}
