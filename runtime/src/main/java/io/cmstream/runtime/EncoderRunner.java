package io.cmstream.runtime;

import static io.cmstream.runtime.GraphContract.BOXES;
import static io.cmstream.runtime.GraphContract.CLIP;
import static io.cmstream.runtime.GraphContract.CONTRIBUTION;
import static io.cmstream.runtime.GraphContract.KEY;
import static io.cmstream.runtime.GraphContract.ROI_FEATS;
import static io.cmstream.runtime.GraphContract.WEIGHT;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Runs the encoder graph ({@code encoder.onnx}): clip [1,3,T,H,W] + normalised boxes [R,4] ->
 * {@link EncoderOutput}. Wraps a session it owns; checks the graph against the contract on
 * construction. Not thread-safe in the sense that callers should use one runner per thread (ONNX
 * Runtime sessions themselves may be shared).
 */
public final class EncoderRunner implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final int channels;
  private final int memoryChannels;

  /**
   * @param session a session of encoder.onnx (closed with this runner)
   * @param channels C the bundle declares
   * @param memoryChannels C' the bundle declares
   */
  public EncoderRunner(OrtSession session, int channels, int memoryChannels) throws OrtException {
    this.session = session;
    this.channels = channels;
    this.memoryChannels = memoryChannels;
    GraphContract.encoder(GraphContract.Size.ANY_FRAMES, channels, memoryChannels)
        .requireCompatible(session);
  }

  /**
   * Encodes one clip.
   *
   * @param clip [3,T,H,W] row-major (the clip pipeline's tensor)
   * @param frames T
   * @param height H
   * @param width W
   * @param boxes normalised x1,y1,x2,y2 per person, R*4 values (R may be 0)
   */
  public EncoderOutput encode(float[] clip, int frames, int height, int width, float[] boxes)
      throws OrtException {
    if ((long) 3 * frames * height * width != clip.length) {
      throw new IllegalArgumentException(
          "clip has " + clip.length + " values, expected 3x" + frames + "x" + height + "x" + width);
    }
    if (boxes.length % 4 != 0) {
      throw new IllegalArgumentException("boxes must have 4 values per box, got " + boxes.length);
    }
    int r = boxes.length / 4;
    try (OnnxTensor c =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(clip), new long[] {1, 3, frames, height, width});
        OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(boxes), new long[] {r, 4});
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

  public int channels() {
    return channels;
  }

  public int memoryChannels() {
    return memoryChannels;
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
