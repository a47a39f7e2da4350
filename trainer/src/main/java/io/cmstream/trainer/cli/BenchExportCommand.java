package io.cmstream.trainer.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.cmstream.common.window.WindowSpan;
import io.cmstream.runtime.Device;
import io.cmstream.runtime.EncoderInput;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.runtime.MemoryWindow;
import io.cmstream.runtime.ModelBundle;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.checkpoint.ParamsFile;
import io.cmstream.trainer.export.BundleExporter;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.CollaborativeMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trainer bench-export}: per-clip time of the exported graphs on ONNX Runtime (CPU) --
 * encoder, memory sum + context head -- against the DJL PyTorch forward of the same model, and the
 * memory + head share of the streaming cost. With {@code --batch N} it also times one encoder call
 * on N clips ({@link io.cmstream.runtime.EncoderRunner#encodeBatch}) and prints its time per clip
 * next to batch 1's, measured in the same run.
 */
@Command(
    name = "bench-export",
    mixinStandardHelpOptions = true,
    description =
        "Time the bundle's encoder and context head on ONNX Runtime (CPU) against the DJL PyTorch "
            + "forward of the same model; prints the memory + head share of the total.")
public final class BenchExportCommand implements Callable<Integer> {
  @Option(
      names = "--bundle",
      required = true,
      paramLabel = "B",
      description = "model bundle folder")
  Path bundle;

  @Option(
      names = "--iterations",
      defaultValue = "30",
      description = "timed runs per measurement (default ${DEFAULT-VALUE})")
  int iterations;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "untimed runs first (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--boxes",
      defaultValue = "3",
      description = "person boxes per clip (default ${DEFAULT-VALUE})")
  int boxes;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "ONNX Runtime intra-op threads (default: all cores)")
  int threads;

  @Option(
      names = "--batch",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "also time the encoder on batches of N clips in one call and print ms per clip next to "
              + "batch 1 (default ${DEFAULT-VALUE}: batch 1 only)")
  int batch;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "seed of the random clip (default ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (iterations < 1 || warmup < 0 || boxes < 0 || batch < 1) {
      throw new IllegalArgumentException(
          "--iterations and --batch must be >= 1, --warmup and --boxes >= 0");
    }
    SessionSettings settings =
        new SessionSettings(Device.CPU, threads, 1, SessionSettings.Optimization.ALL);
    try (ModelBundle b = ModelBundle.open(bundle, settings);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      int t = b.manifest().clip().frames();
      int h = b.manifest().clip().shortSide(); // a square clip at the evaluation short side
      int w = h;
      int window =
          (int) new WindowSpan(b.manifest().window().back(), b.manifest().window().ahead()).size();
      Random rnd = new Random(seed);
      float[] clip = new float[3 * t * h * w];
      for (int i = 0; i < clip.length; i++) {
        clip[i] = (float) rnd.nextGaussian();
      }
      float[] box = new float[boxes * 4];
      for (int i = 0; i < boxes; i++) {
        float x = 0.1f + 0.15f * (i % 4);
        box[i * 4] = x;
        box[i * 4 + 1] = 0.2f;
        box[i * 4 + 2] = x + 0.3f;
        box[i * 4 + 3] = 0.9f;
      }

      // ONNX Runtime: encoder per clip; memory sum over the window + context head per keyframe
      double[] enc = new double[iterations];
      double[] head = new double[iterations];
      EncoderOutput out = null;
      for (int i = -warmup; i < iterations; i++) {
        long t0 = System.nanoTime();
        out = b.encoder().encode(clip, t, h, w, box);
        long t1 = System.nanoTime();
        MemoryWindow mw = new MemoryWindow(out.memoryChannels());
        for (int k = 0; k < window; k++) {
          mw.add(out);
        }
        b.contextHead().scores(out, mw.memory());
        long t2 = System.nanoTime();
        if (i >= 0) {
          enc[i] = (t1 - t0) / 1e6;
          head[i] = (t2 - t1) / 1e6;
        }
      }

      // ONNX Runtime: one encoder call on `batch` clips of the same size (other random contents)
      double[] encBatch = new double[iterations];
      if (batch > 1) {
        List<EncoderInput> clips = new ArrayList<>();
        clips.add(new EncoderInput(clip, t, h, w, box));
        for (int n = 1; n < batch; n++) {
          float[] other = new float[clip.length];
          for (int i = 0; i < other.length; i++) {
            other[i] = (float) rnd.nextGaussian();
          }
          clips.add(new EncoderInput(other, t, h, w, box));
        }
        for (int i = -warmup; i < iterations; i++) {
          long t0 = System.nanoTime();
          b.encoder().encodeBatch(clips);
          if (i >= 0) {
            encBatch[i] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }

      // DJL PyTorch: the full forward of the same model on the same clip (N = 1)
      CheckpointMeta meta = CheckpointMeta.read(bundle.resolve(BundleExporter.PARAMS_DIR));
      CmDetector model = new CmDetector(meta.model());
      model.initialize(m);
      ParamsFile.load(
          model, bundle.resolve(BundleExporter.PARAMS_DIR).resolve(CheckpointMeta.PARAMS), m, true);
      ParameterStore ps = new ParameterStore(m, false);
      PairList<String, Object> params = new PairList<>();
      params.add(CollaborativeMemory.CLIPS_PARAM, 1);
      // parity on this (trained) model: DJL eval scores vs ORT encoder + head, memory of the clip
      // alone
      float[] ortScores =
          flat(
              b.contextHead()
                  .scores(out, new MemoryWindow(out.memoryChannels()).add(out).memory()));
      float[] djlScores;
      try (NDManager sub = m.newSubManager()) {
        NDArray logits =
            model
                .forward(
                    ps,
                    new NDList(
                        sub.create(clip, new Shape(1, 3, t, h, w)),
                        sub.create(box, new Shape(boxes, 4)),
                        sub.zeros(new Shape(boxes), DataType.INT32)),
                    false,
                    params)
                .singletonOrThrow();
        djlScores = ai.djl.nn.Activation.sigmoid(logits).toFloatArray();
      }
      double parity = 0;
      for (int i = 0; i < djlScores.length; i++) {
        parity = Math.max(parity, Math.abs(djlScores[i] - ortScores[i]));
      }

      double[] djl = new double[iterations];
      double[] djlBackbone = new double[iterations];
      for (int i = -warmup; i < iterations; i++) {
        try (NDManager sub = m.newSubManager()) {
          NDArray c = sub.create(clip, new Shape(1, 3, t, h, w));
          NDArray bx = sub.create(box, new Shape(boxes, 4));
          NDArray idx = sub.zeros(new Shape(boxes), DataType.INT32);
          long t0 = System.nanoTime();
          model
              .forward(ps, new NDList(c, bx, idx), false, params)
              .singletonOrThrow()
              .toFloatArray();
          long t1 = System.nanoTime();
          model.features(ps, c, false).toFloatArray();
          long t2 = System.nanoTime();
          if (i >= 0) {
            djl[i] = (t1 - t0) / 1e6;
            djlBackbone[i] = (t2 - t1) / 1e6;
          }
        }
      }

      double e = median(enc);
      double hd = median(head);
      double d = median(djl);
      System.out.printf(
          Locale.ROOT,
          "bench-export: %s, clip [1,3,%d,%d,%d], %d boxes, memory window %d s, "
              + "%d iterations (median ms)%n",
          b.manifest().qualifiedId(),
          t,
          h,
          w,
          boxes,
          window,
          iterations);
      System.out.printf(Locale.ROOT, "  ORT CPU encoder           %9.3f ms/clip (batch 1)%n", e);
      if (batch > 1) {
        double call = median(encBatch);
        System.out.printf(
            Locale.ROOT,
            "  ORT CPU encoder, batch %-3d%9.3f ms/clip (%.3f ms per call of %d clips%s); "
                + "ms/clip batch %d / batch 1: %.3f%n",
            batch,
            call / batch,
            call,
            batch,
            b.encoder().batched() ? "" : ", format 1: one call per clip",
            batch,
            call / batch / e);
      }
      System.out.printf(Locale.ROOT, "  ORT CPU memory sum + head %9.3f ms/clip%n", hd);
      System.out.printf(Locale.ROOT, "  ORT CPU total             %9.3f ms/clip%n", e + hd);
      System.out.printf(
          Locale.ROOT,
          "  DJL PyTorch forward       %9.3f ms/clip (backbone alone %.3f ms)%n",
          d,
          median(djlBackbone));
      System.out.printf(Locale.ROOT, "  ORT total / DJL forward: %.3f%n", (e + hd) / d);
      System.out.printf(
          Locale.ROOT,
          "  memory + head share of the ORT total: %.2f %% (target < 3 %%)%n",
          100 * hd / (e + hd));
      System.out.printf(
          Locale.ROOT,
          "  parity: max |DJL - ORT| score over %d boxes x %d classes = %.3g%n",
          boxes,
          b.manifest().dims().numClasses(),
          parity);
    }
    return 0;
  }

  private static float[] flat(float[][] rows) {
    int k = rows.length == 0 ? 0 : rows[0].length;
    float[] f = new float[rows.length * k];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, f, i * k, k);
    }
    return f;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
