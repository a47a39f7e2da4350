package io.cmstream.streamer.publish;

import io.cmstream.streamer.clip.Clip;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that keeps the clips in memory (tests). The end-of-stream record, which repeats the last
 * clip, replaces that clip in {@link #clips}, so the list reads one clip per second with the last
 * one flagged; anything else flagged end-of-stream fails.
 */
public final class CollectingSink implements ClipSink {
  public final List<Clip> clips = new ArrayList<>();

  @Override
  public long accept(Clip clip) {
    if (clip.endOfStream()) {
      Clip last = clips.isEmpty() ? null : clips.get(clips.size() - 1);
      if (last == null || last.second() != clip.second() || last.endOfStream()) {
        throw new AssertionError(
            "end of stream must repeat the last clip once: "
                + clip.second()
                + " after "
                + (last == null ? "nothing" : last.second()));
      }
      clips.set(clips.size() - 1, clip);
      return clip.frameBytes();
    }
    clips.add(clip);
    return clip.frameBytes();
  }

  @Override
  public int skipped() {
    return 0;
  }

  @Override
  public int written() {
    return clips.size();
  }

  @Override
  public void close() {}
}
