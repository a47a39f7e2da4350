package io.cmstream.trainer.export;

/** Input and output names of the two exported graphs (the contract with runtime and detector). */
public final class GraphNames {
  private GraphNames() {}

  public static final String ENCODER_FILE = "encoder.onnx";
  public static final String HEAD_FILE = "context_head.onnx";

  public static final String CLIP = "clip";
  public static final String BOXES = "boxes";
  public static final String ROI_FEATS = "roi_feats";
  public static final String KEY = "key";
  public static final String CONTRIBUTION = "contribution";
  public static final String WEIGHT = "weight";
  public static final String MEMORY = "memory";
  public static final String SCORES = "scores";

  /** Name of the dynamic box-count dimension. */
  public static final String R = "R";
}
