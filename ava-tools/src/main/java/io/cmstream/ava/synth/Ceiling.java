package io.cmstream.ava.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cmstream.ava.format.DetectionRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The benchmark's known headroom: the AP that ideal predictors reach on the val split when they
 * know the generator's rules but see only part of the video.
 *
 * <ul>
 *   <li>{@code clip_only}: sees the one-second clip of the keyframe (pose, gesture; no light can be
 *       in it at a gesture second). It scores an interaction class with P(class | gesture),
 *       measured over the whole dataset; every gesture gets the same score, so its AP is that of a
 *       random order among the gesturing persons.
 *   <li>{@code window_pm1}: also sees the seconds t-1 and t+1 (a 3-clip window): it knows the
 *       lights 1 s away but not those 2 s away.
 *   <li>{@code context_pm2}: sees t-2..t+2 (a 5-clip window) and therefore every cue: AP 1.
 * </ul>
 *
 * Each predictor writes its detections (ground-truth boxes, its scores, ties broken by a tiny
 * seeded offset) so {@code ava-tools eval} measures the same AP. The expected AP over random tie
 * orders is reported beside it.
 */
public final class Ceiling {
  static final int TIE_SAMPLES = 400;

  /**
   * One ideal predictor: what it observes about a person-second for pose and interaction classes.
   */
  public enum Predictor {
    CLIP_ONLY(
        "clip_only",
        "sees only the one-second clip of the keyframe",
        p -> "pose=" + p.pose(),
        p -> "gesture=" + p.gesture()),
    WINDOW_PM1(
        "window_pm1",
        "sees seconds t-1..t+1 (3-clip window)",
        p -> "pose=" + p.pose(),
        p -> "gesture=" + p.gesture() + ",light=" + p.lightWithin1().map(Cue::name).orElse("-")),
    CONTEXT_PM2(
        "context_pm2",
        "sees seconds t-2..t+2 (5-clip window): every cue",
        p -> "pose=" + p.pose(),
        p ->
            "gesture="
                + p.gesture()
                + ",label="
                + p.interaction().map(ActionClass::name).orElse("-"));

    private final String key;
    private final String description;
    private final Function<PersonSecond, String> poseView;
    private final Function<PersonSecond, String> interactionView;

    Predictor(
        String key,
        String description,
        Function<PersonSecond, String> poseView,
        Function<PersonSecond, String> interactionView) {
      this.key = key;
      this.description = description;
      this.poseView = poseView;
      this.interactionView = interactionView;
    }

    public String key() {
      return key;
    }

    public String description() {
      return description;
    }

    String view(ActionClass c, PersonSecond p) {
      return (c.isPose() ? poseView : interactionView).apply(p);
    }
  }

  /** AP of one class: measured on the written detections, and expected over random tie orders. */
  public record ClassAp(ActionClass actionClass, int positives, double ap, double expectedAp) {}

  /** A predictor's result on the val split. */
  public record Result(Predictor predictor, List<ClassAp> perClass, List<DetectionRow> detections) {
    public double map() {
      return perClass.stream()
          .filter(c -> c.positives() > 0)
          .mapToDouble(ClassAp::ap)
          .average()
          .orElse(Double.NaN);
    }

    public double expectedMap() {
      return perClass.stream()
          .filter(c -> c.positives() > 0)
          .mapToDouble(ClassAp::expectedAp)
          .average()
          .orElse(Double.NaN);
    }
  }

  private Ceiling() {}

  /**
   * Computes every predictor on the val person-seconds. Posteriors are frequencies over all
   * non-excluded person-seconds of the dataset (the predictor knows the generator).
   */
  public static List<Result> compute(List<PersonSecond> all, long seed) {
    List<PersonSecond> known = all.stream().filter(p -> !p.excluded()).toList();
    List<PersonSecond> val = known.stream().filter(PersonSecond::val).toList();
    List<Result> results = new ArrayList<>();
    for (Predictor pr : Predictor.values()) {
      Random tie = new Random(seed * 31 + pr.ordinal());
      List<ClassAp> perClass = new ArrayList<>();
      List<DetectionRow> rows = new ArrayList<>();
      for (ActionClass c : ActionClass.values()) {
        Map<String, double[]> counts = new HashMap<>(); // view -> {n, positives}
        for (PersonSecond p : known) {
          double[] k = counts.computeIfAbsent(pr.view(c, p), v -> new double[2]);
          k[0]++;
          if (p.has(c)) k[1]++;
        }
        List<Double> scores = new ArrayList<>();
        List<Boolean> positive = new ArrayList<>();
        List<PersonSecond> who = new ArrayList<>();
        int positives = 0;
        for (PersonSecond p : val) {
          if (p.has(c)) positives++;
          double[] k = counts.get(pr.view(c, p));
          double prob = Math.round(k[1] / k[0] * 1e4) / 1e4;
          if (prob <= 0) continue;
          scores.add(prob);
          positive.add(p.has(c));
          who.add(p);
        }
        double[] s = new double[scores.size()];
        boolean[] pos = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
          pos[i] = positive.get(i);
          // the written score: the posterior with a tiny seeded tie-break (keeps the order of
          // groups)
          s[i] = scores.get(i) * (1 - 1e-4 * tie.nextDouble());
          rows.add(
              new DetectionRow(
                  who.get(i).videoId(), who.get(i).second(), who.get(i).box(), c.id(), s[i]));
        }
        double measured = positives == 0 ? Double.NaN : RankingAp.of(s, pos, positives);
        double expected =
            positives == 0
                ? Double.NaN
                : expectedAp(scores, pos, positives, new Random(seed * 131 + c.id()));
        perClass.add(new ClassAp(c, positives, measured, expected));
      }
      results.add(new Result(pr, List.copyOf(perClass), List.copyOf(rows)));
    }
    return results;
  }

  /** Mean AP over random orders of tied scores. */
  private static double expectedAp(List<Double> scores, boolean[] pos, int positives, Random r) {
    double[] s = new double[scores.size()];
    double sum = 0;
    for (int k = 0; k < TIE_SAMPLES; k++) {
      for (int i = 0; i < s.length; i++) s[i] = scores.get(i) * (1 - 1e-4 * r.nextDouble());
      sum += RankingAp.of(s, pos, positives);
    }
    return sum / TIE_SAMPLES;
  }

  /**
   * {@code ceiling.json}: the split, what a clip is, how AP is measured, and per predictor key its
   * mAP and per-class AP (fractions; {@code trainer bench-cm} and the tests read these names).
   */
  public record Json(String split, String clip, String ap, Map<String, PredictorJson> predictors) {}

  /** One predictor of {@code ceiling.json}. */
  public record PredictorJson(
      String description,
      String detections,
      @JsonProperty("mAP") double map,
      @JsonProperty("expected_mAP") double expectedMap,
      @JsonProperty("per_class") Map<String, ClassJson> perClass) {}

  /** One class of a predictor: null AP where the val split has no positive. */
  public record ClassJson(
      String name, int positives, Double ap, @JsonProperty("expected_ap") Double expectedAp) {}

  /** The ceiling.json content. */
  public static Json toJson(List<Result> results) {
    Map<String, PredictorJson> preds = new LinkedHashMap<>();
    for (Result r : results) {
      Map<String, ClassJson> per = new LinkedHashMap<>();
      for (ClassAp c : r.perClass()) {
        boolean none = c.positives() == 0;
        per.put(
            Integer.toString(c.actionClass().id()),
            new ClassJson(
                c.actionClass().label(),
                c.positives(),
                none ? null : round(c.ap()),
                none ? null : round(c.expectedAp())));
      }
      preds.put(
          r.predictor().key(),
          new PredictorJson(
              r.predictor().description(),
              "ceiling/" + r.predictor().key() + "_val_detections.csv",
              round(r.map()),
              round(r.expectedMap()),
              per));
    }
    return new Json(
        "val",
        "one second centred on the keyframe: frames f with round(f/fps) == t (T*stride == fps)",
        "measured on the predictor's detections CSV (ties broken by a tiny seeded offset); "
            + "expected_ap: mean over random tie orders",
        preds);
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
