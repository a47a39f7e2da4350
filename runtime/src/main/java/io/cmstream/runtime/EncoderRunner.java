package io.cmstream.runtime;

import static io.cmstream.runtime.GraphContract.BOXES;
import static io.cmstream.runtime.GraphContract.BOX_CLIP;
import static io.cmstream.runtime.GraphContract.CLIP;
import static io.cmstream.runtime.GraphContract.CONTRIBUTION;
import static io.cmstream.runtime.GraphContract.KEY;
import static io.cmstream.runtime.GraphContract.ROI_FEATS;
import static io.cmstream.runtime.GraphContract.WEIGHT;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the encoder graph ({@code encoder.onnx}) on clips -> one {@link EncoderOutput} per clip.
 * Wraps a session it owns; checks the graph against the contract on construction.
 *
 * <p>A batched encoder (bundle format 2: it has a {@code box_clip} input, docs/bundle-contract.md
 * section 3.1) encodes all the clips of {@link #encodeBatch} in one ONNX Runtime call: clips
 * stacked to [N,3,T,H,W], their boxes concatenated to [R,4] with the index of each box's clip in
 * {@code box_clip}. A one-clip encoder (format 1) runs one call per clip. Either way the outputs
 * are those of encoding each clip alone ({@code EncoderBatchTest}).
 *
 * <p>Not thread-safe in the sense that callers should use one runner per thread (ONNX Runtime
 * sessions themselves may be shared).
 */
public final class EncoderRunner implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final int channels;
  private final int memoryChannels;
  private final boolean batched;

  /**
   * @param session a session of encoder.onnx (closed with this runner), of either interface
   * @param channels C the bundle declares
   * @param memoryChannels C' the bundle declares
   */
  public EncoderRunner(OrtSession session, int channels, int memoryChannels) throws OrtException {
    this.session = session;
    this.channels = channels;
    this.memoryChannels = memoryChannels;
    this.batched = session.getInputNames().contains(BOX_CLIP);
    GraphContract.encoder(batched, GraphContract.Size.ANY_FRAMES, channels, memoryChannels)
        .requireCompatible(session);
  }

  /**
   * Encodes one clip (a batch of one).
   *
   * @param clip [3,T,H,W] row-major (the clip pipeline's tensor)
   * @param frames T
   * @param height H
   * @param width W
   * @param boxes normalised x1,y1,x2,y2 per person, R*4 values (R may be 0)
   */
  public EncoderOutput encode(float[] clip, int frames, int height, int width, float[] boxes)
      throws OrtException {
    return encodeBatch(List.of(new EncoderInput(clip, frames, height, width, boxes))).get(0);
  }

  /**
   * Encodes clips of the same T,H,W: one ONNX Runtime call for a batched encoder, one call per clip
   * for a one-clip encoder.
   *
   * @return the output of each clip, in the order of {@code clips}
   * @throws IllegalArgumentException if the clips do not all have the same T,H,W
   */
  public List<EncoderOutput> encodeBatch(List<EncoderInput> clips) throws OrtException {
    if (clips.isEmpty()) {
      return List.of();
    }
    EncoderInput first = clips.get(0);
    for (int i = 1; i < clips.size(); i++) {
      EncoderInput c = clips.get(i);
      if (c.frames() != first.frames()
          || c.height() != first.height()
          || c.width() != first.width()) {
        throw new IllegalArgumentException(
            "the clips of one encoder call must have the same T,H,W: clip 0 is "
                + first.size()
                + ", clip "
                + i
                + " is "
                + c.size());
      }
    }
    if (!batched) {
      List<EncoderOutput> out = new ArrayList<>(clips.size());
      for (EncoderInput c : clips) {
        out.add(encodeOne(c));
      }
      return out;
    }
    return encodeStacked(clips);
  }

  /** Whether the graph takes a batch of clips (format 2) rather than one (format 1). */
  public boolean batched() {
    return batched;
  }

  public int channels() {
    return channels;
  }

  public int memoryChannels() {
    return memoryChannels;
  }

  /** The format-1 call: clip [1,3,T,H,W], boxes [R,4]. */
  private EncoderOutput encodeOne(EncoderInput in) throws OrtException {
    int r = in.boxCount();
    try (OnnxTensor c =
            OnnxTensor.createTensor(
                env,
                FloatBuffer.wrap(in.clip()),
                new long[] {1, 3, in.frames(), in.height(), in.width()});
        OnnxTensor b =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(in.boxes()), new long[] {r, 4});
        OrtSession.Result out = session.run(Map.of(CLIP, c, BOXES, b))) {
      return new EncoderOutput(
          floats(out, ROI_FEATS),
          r,
          channels,
          floats(out, KEY),
          floats(out, CONTRIBUTION),
          floats(out, WEIGHT)[0]);
    }
  }

  /** The format-2 call: clip [N,3,T,H,W], boxes [R,4], box_clip [R]. */
  private List<EncoderOutput> encodeStacked(List<EncoderInput> clips) throws OrtException {
    int n = clips.size();
    EncoderInput first = clips.get(0);
    int perClip = first.clip().length;
    int totalBoxes = clips.stream().mapToInt(EncoderInput::boxCount).sum();
    FloatBuffer stacked = directFloats((long) n * perClip);
    float[] boxes = new float[totalBoxes * 4];
    long[] boxClip = new long[totalBoxes];
    int row = 0;
    for (int i = 0; i < n; i++) {
      EncoderInput c = clips.get(i);
      stacked.put(c.clip());
      System.arraycopy(c.boxes(), 0, boxes, row * 4, c.boxes().length);
      Arrays.fill(boxClip, row, row + c.boxCount(), i);
      row += c.boxCount();
    }
    stacked.rewind();
    try (OnnxTensor c =
            OnnxTensor.createTensor(
                env, stacked, new long[] {n, 3, first.frames(), first.height(), first.width()});
        OnnxTensor b =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(boxes), new long[] {totalBoxes, 4});
        OnnxTensor bc =
            OnnxTensor.createTensor(env, LongBuffer.wrap(boxClip), new long[] {totalBoxes});
        OrtSession.Result out = session.run(Map.of(CLIP, c, BOXES, b, BOX_CLIP, bc))) {
      float[] roi = floats(out, ROI_FEATS);
      float[] key = floats(out, KEY);
      float[] contribution = floats(out, CONTRIBUTION);
      float weight = floats(out, WEIGHT)[0];
      int cp2 = memoryChannels * memoryChannels;
      if (roi.length != (long) totalBoxes * channels
          || key.length != (long) n * memoryChannels
          || contribution.length != (long) n * cp2) {
        throw new IllegalStateException(
            "encoder.onnx returned roi_feats, key, contribution of "
                + roi.length
                + ", "
                + key.length
                + ", "
                + contribution.length
                + " values for "
                + n
                + " clips and "
                + totalBoxes
                + " boxes");
      }
      List<EncoderOutput> result = new ArrayList<>(n);
      row = 0;
      for (int i = 0; i < n; i++) {
        int r = clips.get(i).boxCount();
        result.add(
            new EncoderOutput(
                Arrays.copyOfRange(roi, row * channels, (row + r) * channels),
                r,
                channels,
                Arrays.copyOfRange(key, i * memoryChannels, (i + 1) * memoryChannels),
                Arrays.copyOfRange(contribution, i * cp2, (i + 1) * cp2),
                weight));
        row += r;
      }
      return result;
    }
  }

  private static FloatBuffer directFloats(long count) {
    if (count > Integer.MAX_VALUE / 4) {
      throw new IllegalArgumentException("a batch of " + count + " values is too large");
    }
    return ByteBuffer.allocateDirect((int) count * 4)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  static float[] floats(OrtSession.Result result, String name) {
    OnnxTensor t =
        (OnnxTensor)
            result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
    FloatBuffer fb = t.getFloatBuffer();
    float[] v = new float[fb.remaining()];
    fb.get(v);
    return v;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
