package io.cmstream.detector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.ClipInference;
import io.cmstream.detector.model.DetectorModel;
import io.cmstream.detector.model.InferencePool;
import io.cmstream.detector.model.TinyDetectorModel;
import io.cmstream.detector.replay.ReplayDriver;
import io.cmstream.runtime.EncoderInput;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.schemas.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordPathWarmUpTest {

  private static final DetectorModel MODEL = TinyDetectorModel.of(3);

  /** The real sessions, noting the shape of every clip they encode. */
  private static final class Recording implements ClipInference {
    final ClipInference real = MODEL.inference().open();
    final List<String> encoded = new ArrayList<>();
    int heads;
    int batches;

    @Override
    public EncoderOutput encode(ClipTensor clip, float[] boxes) {
      encoded.add(clip.frames() + "x" + clip.height() + "x" + clip.width());
      return real.encode(clip, boxes);
    }

    @Override
    public List<EncoderOutput> encodeBatch(List<EncoderInput> clips) {
      if (clips.size() > 1) {
        batches++;
      }
      clips.forEach(c -> encoded.add(c.frames() + "x" + c.height() + "x" + c.width()));
      return real.encodeBatch(clips);
    }

    @Override
    public float[][] scores(float[] roiFeats, int rows, float[] key, float[] memory) {
      heads++;
      return real.scores(roiFeats, rows, key, memory);
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  void shouldRunEncoderAndHeadOnceAtEachLandscapeShapeOncePerThread() {
    Recording recording = new Recording();
    ClipSpec spec = MODEL.clipSpec();
    DetectorConfig config = DetectorConfig.defaults(MODEL);
    try (InferencePool pool = new InferencePool(() -> recording)) {
      RecordPathWarmUp warmUp =
          new RecordPathWarmUp(
              AvroSerdes.clipRecord(),
              new ClipValidator(config.frames()),
              new ClipPipeline(spec),
              pool,
              1);
      warmUp.runOnCurrentThread();
      int s = spec.shortSide();
      int t = spec.frames();
      // the eval geometry keeps the aspect ratio at the model's short side
      assertEquals(
          List.of(
              t + "x" + s + "x" + Math.round(s * 16f / 9),
              t + "x" + s + "x" + Math.round(s * 4f / 3),
              t + "x" + s + "x" + s),
          recording.encoded);
      assertEquals(3, recording.heads);
      warmUp.runOnCurrentThread(); // a second task of the same thread
      assertEquals(3, recording.encoded.size());
      assertEquals(1, pool.size());
    }
  }

  @Test
  void shouldAlsoRunAFullBatchOfEachShapeWhenBatching() {
    Recording recording = new Recording();
    ClipSpec spec = MODEL.clipSpec();
    try (InferencePool pool = new InferencePool(() -> recording)) {
      new RecordPathWarmUp(
              AvroSerdes.clipRecord(),
              new ClipValidator(DetectorConfig.defaults(MODEL).frames()),
              new ClipPipeline(spec),
              pool,
              4)
          .runOnCurrentThread();
      // per shape: one clip alone, then a batch of 4
      assertEquals(3 * (1 + 4), recording.encoded.size());
      assertEquals(3, recording.batches);
      assertEquals(3, recording.heads);
    }
  }

  @Test
  void shouldWriteNothingAndCountNothingWhenTheTaskStarts() {
    DetectorMetrics metrics = new DetectorMetrics(new SimpleMeterRegistry());
    try (ReplayDriver d = new ReplayDriver(DetectorConfig.defaults(MODEL), metrics)) {
      assertTrue(d.detections().isEmpty());
      assertTrue(d.deadLetters().isEmpty());
      assertEquals(0.0, metrics.registry().counter("cm.detector.clips.in").count());
      assertEquals(0L, metrics.registry().timer("cm.detector.inference.encoder").count());
      assertEquals(0L, metrics.registry().timer("cm.detector.inference.head").count());
      d.pipe(Clips.builder("video-a", 0).setEndOfStream(true).build(), 0L);
      assertEquals(1, d.detections().size()); // the warmed path serves the first clip as usual
    }
  }
}
