package io.cmstream.trainer.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.TorchDevice;
import io.cmstream.trainer.train.EpochMetrics;
import io.cmstream.trainer.train.FrameMapValidation;
import io.cmstream.trainer.train.MemoryWarmup;
import io.cmstream.trainer.train.TrainOptions;
import io.cmstream.trainer.train.TrainingRun;
import io.cmstream.trainer.train.Validator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code trainer bench-cm}: the paper's ablations at small scale. One shared stage-1 checkpoint (N
 * = 1, no memory), then from it, with equal budgets (same epochs, batch, LR; an epoch trains every
 * labelled second about once at any N): N in {1, 3, 5} with the default memory, and at N = 5 the
 * variants none / avgpool / residual / default. Writes {@code bench-cm.md} (mAP, per-class AP next
 * to the dataset's ceiling table, step times) and {@code bench-cm.json}.
 */
public final class CmBenchmark {
  /** One ablation run. */
  public record RunSpec(String name, int clips, MemoryType memory) {}

  public static final List<RunSpec> RUNS =
      List.of(
          new RunSpec("N1-default", 1, MemoryType.DEFAULT),
          new RunSpec("N3-default", 3, MemoryType.DEFAULT),
          new RunSpec("N5-default", 5, MemoryType.DEFAULT),
          new RunSpec("N5-none", 5, MemoryType.NONE),
          new RunSpec("N5-avgpool", 5, MemoryType.AVGPOOL),
          new RunSpec("N5-residual", 5, MemoryType.RESIDUAL));

  /** Every default of {@code bench-cm}, in one commented place (the rest: {@link TrainOptions}). */
  public static final class Defaults {
    /** Stage 1 (N = 1, no memory) trains from scratch this long. */
    public static final int STAGE1_EPOCHS = 20;

    /** End-to-end epochs of each stage-2 run after its memory warm-up. */
    public static final int STAGE2_EPOCHS = 3;

    /** Clips per batch of every run. */
    public static final int BATCH = 20;

    /** Stage 1's base learning rate (for 16 clips). */
    public static final float LR = 0.3f;

    /**
     * Base learning rate of the stage-2 epochs, which fine-tune end to end after the memory
     * warm-up; higher rates undo what the warm-up found (docs/experiments.md).
     */
    public static final float STAGE2_LR = 0.001f;

    /** Full-batch memory warm-up steps at the start of every stage-2 run. */
    public static final int MEMORY_WARMUP_STEPS = 1000;

    private Defaults() {}
  }

  /**
   * What {@code bench-cm} runs beyond stage 1's options.
   *
   * @param stage1Epochs epochs of the shared stage-1 run
   * @param stage2Epochs end-to-end epochs of each stage-2 run
   * @param stage2Lr base learning rate of the stage-2 runs (fine-tuning from stage 1)
   * @param memoryWarmup the {@link MemoryWarmup} that starts every stage-2 run (0 steps: none; with
   *     a warm-up the backbone's batch norm stays frozen from then on)
   */
  public record Recipe(
      int stage1Epochs,
      int stage2Epochs,
      float stage2Lr,
      TrainOptions.MemoryWarmupPlan memoryWarmup) {
    public static final Recipe DEFAULT =
        new Recipe(
            Defaults.STAGE1_EPOCHS,
            Defaults.STAGE2_EPOCHS,
            Defaults.STAGE2_LR,
            new TrainOptions.MemoryWarmupPlan(
                Defaults.MEMORY_WARMUP_STEPS, TrainOptions.Defaults.MEMORY_WARMUP_LR));

    public Recipe {
      if (stage1Epochs < 1) throw new IllegalArgumentException("--stage1-epochs must be >= 1");
      if (stage2Epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1");
      if (!(stage2Lr > 0)) throw new IllegalArgumentException("--stage2-lr must be > 0");
      java.util.Objects.requireNonNull(memoryWarmup, "memoryWarmup");
    }

    public Recipe withStage1Epochs(int epochs) {
      return new Recipe(epochs, stage2Epochs, stage2Lr, memoryWarmup);
    }

    public Recipe withStage2Epochs(int epochs) {
      return new Recipe(stage1Epochs, epochs, stage2Lr, memoryWarmup);
    }

    public Recipe withStage2Lr(float lr) {
      return new Recipe(stage1Epochs, stage2Epochs, lr, memoryWarmup);
    }

    public Recipe withMemoryWarmup(TrainOptions.MemoryWarmupPlan plan) {
      return new Recipe(stage1Epochs, stage2Epochs, stage2Lr, plan);
    }
  }

  private final TrainOptions base;
  private final Recipe recipe;
  private final PrintStream log;

  /**
   * @param base options of stage 1 (its {@code lr} is stage 1's); the runs change N, the memory,
   *     the epochs, the run folder and where they start
   * @param recipe the stage-1 epochs and the stage-2 runs' schedule and memory warm-up
   */
  public CmBenchmark(TrainOptions base, Recipe recipe, PrintStream log) {
    this.base = base;
    this.recipe = recipe;
    this.log = log;
  }

  /** Stage 1: N = 1, no memory, from scratch. */
  private TrainOptions stage1(Path dir) {
    return base.withData(d -> d.withClips(1))
        .withModel(m -> m.withMemory(MemoryType.NONE).withInitFrom(null))
        .withOptim(o -> o.withEpochs(recipe.stage1Epochs()))
        .withRun(r -> r.withOut(dir));
  }

  /** A stage-2 run from the stage-1 checkpoint {@code init}. */
  private TrainOptions stage2(RunSpec run, Path init, Path dir) {
    boolean warmup = recipe.memoryWarmup().steps() > 0;
    return base.withData(d -> d.withClips(run.clips()))
        .withModel(m -> m.withMemory(run.memory()).withInitFrom(init))
        .withOptim(o -> o.withLr(recipe.stage2Lr()).withEpochs(recipe.stage2Epochs()))
        .withStep(s -> s.withFrozenBn(warmup))
        .withMemoryWarmup(recipe.memoryWarmup())
        .withRun(r -> r.withOut(dir));
  }

  public BenchCmResult run() {
    Path out = base.run().out();
    long t0 = System.nanoTime();
    Path stage1Dir = out.resolve("stage1");
    TrainingRun.Result stage1 =
        new TrainingRun(stage1(stage1Dir), FrameMapValidation::new, log).run();
    Map<String, TrainingRun.Result> results = new LinkedHashMap<>();
    for (RunSpec r : RUNS) {
      log.println("bench-cm: run " + r.name());
      results.put(
          r.name(),
          new TrainingRun(
                  stage2(r, stage1Dir.resolve("last"), out.resolve(r.name())),
                  FrameMapValidation::new,
                  log)
              .run());
    }
    Map<String, Map<String, Double>> perClass = new LinkedHashMap<>();
    Map<String, Double> trainStepSeconds = new LinkedHashMap<>();
    perClass.put("stage1", classes(stage1.last()));
    trainStepSeconds.put("stage1", round4(meanStep(stage1)));
    results.forEach(
        (name, res) -> {
          perClass.put(name, classes(res.last()));
          trainStepSeconds.put(name, round4(meanStep(res)));
        });
    // the same checkpoints on the ground-truth boxes: only classification counts, as in the ceiling
    AvaSplit valGt =
        AvaSplit.load(base.data().root(), "val", base.data().proposalThreshold(), false)
            .withGroundTruthBoxes();
    Map<String, Validator.Result> gt = new LinkedHashMap<>();
    gt.put("stage1", onBoxes(stage1.runDir(), valGt));
    results.forEach((name, res) -> gt.put(name, onBoxes(res.runDir(), valGt)));
    Map<String, Map<String, Double>> gtPerClass = new LinkedHashMap<>();
    gt.forEach((name, r) -> gtPerClass.put(name, classes(r.perClass())));
    // step times side by side: per N, every variant on the same batches, interleaved
    Map<String, Double> stepSeconds = new LinkedHashMap<>();
    for (int n : new int[] {1, 3, 5}) {
      List<MemoryType> variants =
          n == 5
              ? List.of(
                  MemoryType.NONE, MemoryType.AVGPOOL, MemoryType.RESIDUAL, MemoryType.DEFAULT)
              : List.of(MemoryType.NONE, MemoryType.DEFAULT);
      log.println("bench-cm: timing training steps at N=" + n + " " + variants);
      boolean frozenBn = recipe.memoryWarmup().steps() > 0;
      new StepTimer(
              base.withData(d -> d.withClips(n)).withStep(s -> s.withFrozenBn(frozenBn)),
              TIMED_BATCHES,
              TIMED_ROUNDS)
          .measure(variants, stage1Dir.resolve("last"))
          .forEach((m, sec) -> stepSeconds.put("N" + n + "-" + m.cliName(), round4(sec)));
    }
    BenchCmResult json =
        new BenchCmResult(
            scores(name -> results.get(name).last().valMap(), perClass),
            stepSeconds,
            trainStepSeconds,
            scores(name -> gt.get(name).mapPoints(), gtPerClass));
    try {
      Files.createDirectories(out);
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.resolve("bench-cm.json").toFile(), json);
      String md =
          markdown(
              json,
              round(stage1.last().valMap()),
              round(gt.get("stage1").mapPoints()),
              (System.nanoTime() - t0) / 60e9);
      Files.writeString(out.resolve("bench-cm.md"), md);
      log.println(md);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the benchmark to " + out, e);
    }
    return json;
  }

  /** Batches and rounds of the side-by-side step timing. */
  static final int TIMED_BATCHES = 3;

  static final int TIMED_ROUNDS = 8;

  private static double meanStep(TrainingRun.Result r) {
    return r.epochs().stream().mapToDouble(EpochMetrics::stepSeconds).average().orElse(0);
  }

  /**
   * {@code by_clips} (N = 1 / 3 / 5, default memory) and {@code by_memory} (the N = 5 variants) of
   * mAP points, from the mAP of each run by name, with the per-class AP of the runs.
   */
  private static BenchCmResult.Scores scores(
      java.util.function.ToDoubleFunction<String> mapOfRun,
      Map<String, Map<String, Double>> perClass) {
    Map<String, Double> byClips = new LinkedHashMap<>();
    for (int n : new int[] {1, 3, 5}) {
      byClips.put(String.valueOf(n), round(mapOfRun.applyAsDouble("N" + n + "-default")));
    }
    Map<String, Double> byMemory = new LinkedHashMap<>();
    for (String m : new String[] {"none", "avgpool", "residual", "default"}) {
      byMemory.put(m, round(mapOfRun.applyAsDouble("N5-" + m)));
    }
    return new BenchCmResult.Scores(byClips, byMemory, perClass);
  }

  /** Val frame-mAP of a run's last checkpoint on the given split's evaluation boxes. */
  private Validator.Result onBoxes(Path runDir, AvaSplit val) {
    Path ckpt = runDir.resolve("last");
    CheckpointMeta meta = CheckpointMeta.read(ckpt);
    try (NDManager m = NDManager.newBaseManager(TorchDevice.of(base.run().device()))) {
      return new FrameMapValidation(val)
          .validate(meta.loadDetector(ckpt, m), meta.clipSpec(), meta.clips(), m);
    }
  }

  private static Map<String, Double> classes(EpochMetrics e) {
    return classes(e.perClassAp());
  }

  private static Map<String, Double> classes(Map<Integer, Double> perClassAp) {
    Map<String, Double> m = new LinkedHashMap<>();
    perClassAp.forEach((id, ap) -> m.put(String.valueOf(id), ap == null ? null : round(ap)));
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double round4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  private String markdown(
      BenchCmResult json, double stage1Map, double stage1GtMap, double minutes) {
    StringBuilder sb = new StringBuilder();
    sb.append("# bench-cm\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Dataset `%s`, preset `%s`, batch %d clips, base LR %s (stage 2: %s), seed %d; "
                + "loss %s, %s windows; stage 1 (N=1, no memory) %d epochs, then per run from the stage-1 "
                + "checkpoint %s%d epochs. Total %.1f min. Frame-mAP in points (val split) on the detected boxes "
                + "(the proposals, AVA protocol) and on the ground-truth boxes (only classification counts, as in the "
                + "dataset's ceiling table). Step s: "
                + "seconds per training step, all variants of one N timed side by side on the same batches "
                + "(two model instances each, run back to back on every batch; median over rounds of the "
                + "mean over the batches; x none: ratio to the none variant at that N); train step s: mean during the run's "
                + "training (loader running, machine load varies between runs).%n%n",
            base.data().root().getFileName(),
            base.model().preset(),
            base.optim().batch(),
            base.optim().lr(),
            recipe.stage2Lr(),
            base.run().seed(),
            base.optim().loss().isBce() ? "BCE" : "focal gamma " + base.optim().loss().gamma(),
            base.data().sampling().cliName(),
            recipe.stage1Epochs(),
            recipe.memoryWarmup().steps() == 0
                ? ""
                : String.format(
                    Locale.ROOT,
                    "a memory warm-up (backbone frozen, %d full-batch steps of memory and head, "
                        + "peak LR %s; batch norm frozen from then on), then ",
                    recipe.memoryWarmup().steps(),
                    recipe.memoryWarmup().lr()),
            recipe.stage2Epochs(),
            minutes));
    Map<String, Double> stepSeconds = json.stepSeconds();
    Map<String, Double> trainStep = json.trainStepSeconds();
    sb.append(
        "| run | N | memory | val mAP | val mAP, GT boxes | step s | x none | train step s |\n"
            + "|---|---|---|---|---|---|---|---|\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "| stage1 | 1 | none | %.2f | %.2f | - | - | %.3f |%n",
            stage1Map,
            stage1GtMap,
            trainStep.get("stage1")));
    for (RunSpec r : RUNS) {
      double map = json.detected().of(r);
      double gtMap = json.groundTruthBoxes().of(r);
      Double sec = stepSeconds.get(r.name());
      Double none = stepSeconds.get("N" + r.clips() + "-none");
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %.2f | %.2f | %s | %s | %.3f |%n",
              r.name(),
              r.clips(),
              r.memory().cliName(),
              map,
              gtMap,
              sec == null ? "-" : String.format(Locale.ROOT, "%.3f", sec),
              sec == null || none == null ? "-" : String.format(Locale.ROOT, "%.3f", sec / none),
              trainStep.get(r.name())));
    }
    for (int n : new int[] {1, 3}) {
      Double sec = stepSeconds.get("N" + n + "-none");
      if (sec != null) {
        sb.append(
            String.format(
                Locale.ROOT, "| (timing only) | %d | none | - | - | %.3f | 1.000 | - |%n", n, sec));
      }
    }
    Map<String, double[]> ceiling = ceiling(base.data().root());
    sb.append(
        "\n## Per-class AP (points) on the detected boxes, and the dataset's ceiling (ground-truth boxes)\n\n");
    perClassTable(sb, json.detected().perClass(), ceiling);
    sb.append(
        "\n## Per-class AP (points) on the ground-truth boxes, and the dataset's ceiling\n\n");
    perClassTable(sb, json.groundTruthBoxes().perClass(), ceiling);
    return sb.toString();
  }

  private static void perClassTable(
      StringBuilder sb, Map<String, Map<String, Double>> perClass, Map<String, double[]> ceiling) {
    TreeSet<Integer> ids = new TreeSet<>();
    perClass.values().forEach(m -> m.keySet().forEach(k -> ids.add(Integer.parseInt(k))));
    List<String> runs = new ArrayList<>(perClass.keySet());
    sb.append("| class |");
    runs.forEach(r -> sb.append(' ').append(r).append(" |"));
    sb.append(" ceiling clip_only | ceiling window_pm1 | ceiling context_pm2 |\n|---|");
    runs.forEach(r -> sb.append("---|"));
    sb.append("---|---|---|\n");
    for (int id : ids) {
      sb.append("| ").append(id).append(" |");
      for (String r : runs) {
        Double ap = perClass.get(r).get(String.valueOf(id));
        sb.append(ap == null ? " - |" : String.format(Locale.ROOT, " %.1f |", ap));
      }
      double[] c = ceiling.get(String.valueOf(id));
      for (int i = 0; i < 3; i++) {
        sb.append(
            c == null || Double.isNaN(c[i]) ? " - |" : String.format(Locale.ROOT, " %.1f |", c[i]));
      }
      sb.append('\n');
    }
  }

  /** Ceiling predictors of {@code ava-tools synth}'s ceiling.json, in column order. */
  static final List<String> CEILING_PREDICTORS = List.of("clip_only", "window_pm1", "context_pm2");

  /**
   * Per-class AP in points of the dataset's ceiling predictors ({@code ceiling.json} written by
   * {@code ava-tools synth}: predictors.&lt;key&gt;.per_class.&lt;id&gt;.ap as fractions), in
   * {@link #CEILING_PREDICTORS} order (NaN where absent); empty when there is no such file.
   */
  static Map<String, double[]> ceiling(Path data) {
    Map<String, double[]> out = new LinkedHashMap<>();
    Path f = data.resolve("ceiling.json");
    if (!Files.isRegularFile(f)) {
      return out;
    }
    try {
      JsonNode preds = new ObjectMapper().readTree(f.toFile()).path("predictors");
      for (int i = 0; i < CEILING_PREDICTORS.size(); i++) {
        int col = i;
        preds
            .path(CEILING_PREDICTORS.get(i))
            .path("per_class")
            .fields()
            .forEachRemaining(
                e -> {
                  double[] row =
                      out.computeIfAbsent(
                          e.getKey(), k -> new double[] {Double.NaN, Double.NaN, Double.NaN});
                  JsonNode ap = e.getValue().path("ap");
                  row[col] = ap.isNumber() ? ap.asDouble() * 100 : Double.NaN;
                });
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }
}
