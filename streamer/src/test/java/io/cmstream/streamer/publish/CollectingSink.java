package io.cmstream.streamer.publish;

import io.cmstream.streamer.clip.Clip;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps the clips in memory (tests). */
public final class CollectingSink implements ClipSink {
  public final List<Clip> clips = new ArrayList<>();

  @Override
  public long accept(Clip clip) {
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
