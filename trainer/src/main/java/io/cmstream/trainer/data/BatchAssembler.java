package io.cmstream.trainer.data;

import io.cmstream.ava.clip.ClipGeometry;
import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.KeyframeWindow;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.ava.format.FrameKey;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.trainer.model.MemoryWindows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Turns windows into a {@link ClipBatch} through the shared ava-tools clip pipeline (the same frame
 * indices, decoding and normalisation as serving). In training one random geometry (scale jitter,
 * crop, flip) is drawn per window and applied to all its clips and boxes.
 */
public final class BatchAssembler {
  private final AvaSplit split;
  private final ClipPipeline pipeline;

  public BatchAssembler(AvaSplit split, ClipSpec spec) {
    this.split = split;
    this.pipeline = new ClipPipeline(spec);
  }

  public ClipSpec spec() {
    return pipeline.spec();
  }

  /** Decoded frames of the clip of keyframe second {@code second}. */
  public List<RgbImage> frames(String videoId, int second) {
    VideoFrames v = split.videos().get(videoId);
    int[] idx = pipeline.spec().frameIndices(second - split.timeOffset(), v.frameCount());
    List<RgbImage> out = new ArrayList<>(idx.length);
    for (int i : idx) {
      out.add(JpegCodec.decode(read(v.paths()[i])));
    }
    return out;
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read frame " + p, e);
    }
  }

  /** A training batch: random geometry per window, boxes and targets of labelled clips. */
  public ClipBatch training(List<TrainingWindow> windows, Random random) {
    ClipSpec spec = pipeline.spec();
    return assemble(windows, (w, h) -> ClipGeometry.forTraining(spec, w, h, random));
  }

  /**
   * The same windows seen as in evaluation and serving: the whole frame resized to the evaluation
   * size (no crop, no flip), with the boxes and targets of the labelled clips.
   */
  public ClipBatch fullFrame(List<TrainingWindow> windows) {
    ClipSpec spec = pipeline.spec();
    return assemble(windows, (w, h) -> ClipGeometry.forEval(spec, w, h));
  }

  /** How a window's geometry is chosen from the source frame size. */
  @FunctionalInterface
  private interface GeometryChoice {
    ClipGeometry of(int sourceWidth, int sourceHeight);
  }

  private ClipBatch assemble(List<TrainingWindow> windows, GeometryChoice geometry) {
    List<ClipTensor> clips = new ArrayList<>();
    List<float[]> boxes = new ArrayList<>();
    List<float[]> targets = new ArrayList<>();
    List<Integer> boxClip = new ArrayList<>();
    MemoryWindows memory = null;
    for (TrainingWindow win : windows) {
      MemoryWindows own =
          MemoryWindows.sliding(new int[] {win.size()}, win.memoryBack(), win.memoryAhead());
      memory = memory == null ? own : memory.concat(own);
      ClipGeometry g = null;
      for (KeyframeWindow.Slot s : win.slots()) {
        List<RgbImage> frames = frames(win.videoId(), s.second());
        if (g == null) {
          g = geometry.of(frames.get(0).width(), frames.get(0).height());
        }
        int clipIndex = clips.size();
        clips.add(pipeline.build(frames, g));
        if (s.labelled()) {
          for (LabelledBox b : split.trainingBoxes(new FrameKey(win.videoId(), s.second()))) {
            float[] t = g.transformBox(b.coords());
            if (ClipGeometry.isVisible(t)) {
              boxes.add(t);
              targets.add(b.targets());
              boxClip.add(clipIndex);
            }
          }
        }
      }
    }
    return pack(clips, boxes, targets, boxClip, memory);
  }

  private ClipBatch pack(
      List<ClipTensor> clips,
      List<float[]> boxes,
      List<float[]> targets,
      List<Integer> boxClip,
      MemoryWindows memory) {
    ClipTensor first = clips.get(0);
    int per = first.data().length;
    float[] data = new float[per * clips.size()];
    for (int i = 0; i < clips.size(); i++) {
      System.arraycopy(clips.get(i).data(), 0, data, i * per, per);
    }
    int k = split.numClasses();
    float[] bx = new float[boxes.size() * 4];
    float[] tg = new float[boxes.size() * k];
    int[] idx = new int[boxes.size()];
    for (int i = 0; i < boxes.size(); i++) {
      System.arraycopy(boxes.get(i), 0, bx, i * 4, 4);
      System.arraycopy(targets.get(i), 0, tg, i * k, k);
      idx[i] = boxClip.get(i);
    }
    return new ClipBatch(
        data, clips.size(), first.frames(), first.height(), first.width(), bx, idx, tg, k, memory);
  }
}
