package io.cmstream.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.cmstream.runtime.onnx.Dim;
import io.cmstream.runtime.onnx.ElementType;
import io.cmstream.schemas.manifest.ModelManifest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The two graphs of a model bundle, in one place: file, input and output names, element types and
 * shapes (float32 but {@code box_clip}, int64). The exporter declares its graphs with it ({@link
 * Tensor#dims()}), the runners and {@link ModelBundle} check sessions against it. Specified for
 * outside implementers in docs/bundle-contract.md section 3 ({@code BundleContractDocTest} compares
 * the two). The encoder has two interfaces, named by the manifest's formatVersion ({@link
 * ModelManifest#batchedEncoder()}):
 *
 * <pre>
 * encoder.onnx, format 2  clip [N,3,T,H,W], boxes [R,4], box_clip [R] -> roi_feats [R,C], key [N,C'], contribution [N,C',C'], weight [1]
 * encoder.onnx, format 1  clip [1,3,T,H,W], boxes [R,4] -> roi_feats [R,C], key [C'], contribution [C',C'], weight [1]
 * context_head.onnx       roi_feats [R,C], key [C'], memory [C',C'] -> scores [R,K]
 * </pre>
 */
public final class GraphContract {
  public static final String CLIP = "clip";
  public static final String BOXES = "boxes";
  public static final String BOX_CLIP = "box_clip";
  public static final String ROI_FEATS = "roi_feats";
  public static final String KEY = "key";
  public static final String CONTRIBUTION = "contribution";
  public static final String WEIGHT = "weight";
  public static final String MEMORY = "memory";
  public static final String SCORES = "scores";

  /** The box dimension R: symbolic in every graph (0 or more boxes). */
  public static final Size BOX_COUNT = new Size(Size.SYMBOLIC, "R");

  /** The clip dimension N of the batched encoder: symbolic (1 or more clips per call). */
  public static final Size CLIP_COUNT = new Size(Size.SYMBOLIC, "N");

  /**
   * Height and width of the clip: any size (they follow the frame's aspect ratio), declared
   * symbolic.
   */
  public static final Size HEIGHT = new Size(Size.ANY, "H");

  public static final Size WIDTH = new Size(Size.ANY, "W");

  private GraphContract() {}

  /**
   * One dimension: a fixed size, {@link #SYMBOLIC} (the graph must declare it symbolic) or {@link
   * #ANY} (fixed or symbolic; declared symbolic by the exporter).
   *
   * @param value the size, or SYMBOLIC, or ANY
   * @param name name of a symbolic or any-size dimension (null for a fixed one)
   */
  public record Size(long value, String name) {
    public static final long SYMBOLIC = -1;
    public static final long ANY = -2;

    /** T where it is not known (a runner checks only what it feeds). */
    public static final Size ANY_FRAMES = new Size(ANY, "T");

    public Size {
      if (value < 0 && (name == null || name.isBlank())) {
        throw new IllegalArgumentException("a symbolic dimension needs a name");
      }
    }

    public static Size of(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("size must be >= 0, got " + value);
      }
      return new Size(value, null);
    }

    /** The dimension as the ONNX writer declares it. */
    public Dim dim() {
      return value >= 0 ? Dim.of(value) : Dim.dynamic(name);
    }
  }

  /** A named tensor with its element type and shape. */
  public record Tensor(String name, ElementType type, List<Size> shape) {
    public Tensor {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      shape = List.copyOf(shape);
    }

    /** A float32 tensor. */
    public Tensor(String name, List<Size> shape) {
      this(name, ElementType.FLOAT, shape);
    }

    /** The element type as docs/bundle-contract.md writes it: float32, int64. */
    public String dtype() {
      return switch (type) {
        case FLOAT -> "float32";
        case INT32 -> "int32";
        case INT64 -> "int64";
        case BOOL -> "bool";
      };
    }

    /** The element type as ONNX Runtime's Java API reports it. */
    public OnnxJavaType javaType() {
      return switch (type) {
        case FLOAT -> OnnxJavaType.FLOAT;
        case INT32 -> OnnxJavaType.INT32;
        case INT64 -> OnnxJavaType.INT64;
        case BOOL -> OnnxJavaType.BOOL;
      };
    }

    /** The shape as the ONNX writer declares it. */
    public Dim[] dims() {
      return shape.stream().map(Size::dim).toArray(Dim[]::new);
    }

    long[] codes() {
      return shape.stream().mapToLong(Size::value).toArray();
    }
  }

  /** The inputs and outputs of one graph file. */
  public record Graph(String file, List<Tensor> inputs, List<Tensor> outputs) {
    public Graph {
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
    }

    public Tensor input(String name) {
      return find(inputs, name);
    }

    public Tensor output(String name) {
      return find(outputs, name);
    }

    /**
     * Exactly these inputs and outputs, with these element types and shapes (a symbolic dimension
     * of the graph is compatible with a fixed size; R and N must be symbolic).
     *
     * @throws IllegalArgumentException naming the first input/output that differs
     */
    public void check(OrtSession session) throws OrtException {
      checkExactly("input", inputs, session.getInputInfo());
      checkExactly("output", outputs, session.getOutputInfo());
    }

    /**
     * At least these inputs and outputs, with these element types, ranks and fixed sizes (symbolic
     * and any-size dimensions are not checked): what a runner needs to feed and read the graph.
     *
     * @throws IllegalArgumentException naming the first input/output that differs
     */
    public void requireCompatible(OrtSession session) throws OrtException {
      requireCompatible("input", inputs, session.getInputInfo());
      requireCompatible("output", outputs, session.getOutputInfo());
    }

    private void checkExactly(String kind, List<Tensor> expected, Map<String, NodeInfo> actual) {
      Map<String, Tensor> byName = new LinkedHashMap<>();
      expected.forEach(t -> byName.put(t.name(), t));
      if (!actual.keySet().equals(byName.keySet())) {
        throw new IllegalArgumentException(
            file
                + " has "
                + kind
                + "s "
                + actual.keySet()
                + " but the contract needs "
                + byName.keySet());
      }
      for (Tensor t : expected) {
        if (!(actual.get(t.name()).getInfo() instanceof TensorInfo info)
            || info.type != t.javaType()) {
          throw new IllegalArgumentException(
              file + " " + kind + " " + t.name() + " is not a " + t.dtype() + " tensor");
        }
        long[] want = t.codes();
        long[] shape = info.getShape();
        if (!matches(want, shape)) {
          throw new IllegalArgumentException(
              file
                  + " "
                  + kind
                  + " "
                  + t.name()
                  + " has shape "
                  + show(shape, t)
                  + " but the manifest implies "
                  + show(want, t));
        }
      }
    }

    private void requireCompatible(
        String kind, List<Tensor> expected, Map<String, NodeInfo> actual) {
      for (Tensor t : expected) {
        NodeInfo info = actual.get(t.name());
        if (info == null) {
          throw new IllegalArgumentException(
              file + " has no " + kind + " '" + t.name() + "' (has " + actual.keySet() + ")");
        }
        if (!(info.getInfo() instanceof TensorInfo tensor) || tensor.type != t.javaType()) {
          throw new IllegalArgumentException(
              file + " " + kind + " '" + t.name() + "' is not a " + t.dtype() + " tensor");
        }
        long[] shape = tensor.getShape();
        long[] want = t.codes();
        boolean ok = shape.length == want.length;
        for (int i = 0; ok && i < want.length; i++) {
          ok = want[i] < 0 || shape[i] < 0 || shape[i] == want[i];
        }
        if (!ok) {
          long[] shown = Arrays.stream(want).map(v -> v < 0 ? -1 : v).toArray();
          throw new IllegalArgumentException(
              file
                  + " "
                  + kind
                  + " '"
                  + t.name()
                  + "' has shape "
                  + Arrays.toString(shape)
                  + ", expected "
                  + Arrays.toString(shown));
        }
      }
    }

    private static Tensor find(List<Tensor> tensors, String name) {
      return tensors.stream()
          .filter(t -> t.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("the contract has no tensor " + name));
    }

    private static boolean matches(long[] expected, long[] actual) {
      if (expected.length != actual.length) {
        return false;
      }
      for (int i = 0; i < expected.length; i++) {
        // R and N must be symbolic; a symbolic dimension where a fixed size is expected is
        // compatible
        boolean ok =
            expected[i] == Size.ANY
                || (expected[i] == Size.SYMBOLIC
                    ? actual[i] < 0
                    : actual[i] == expected[i] || actual[i] < 0);
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    /**
     * Shape as text: the name of a dimension that must be symbolic (R, N), ? for other symbolic
     * dimensions, * for any size.
     */
    private static String show(long[] shape, Tensor expected) {
      String[] parts = new String[shape.length];
      for (int i = 0; i < shape.length; i++) {
        Size e = i < expected.shape().size() ? expected.shape().get(i) : null;
        parts[i] =
            shape[i] == Size.ANY
                ? "*"
                : shape[i] < 0
                    ? (e != null && e.value() == Size.SYMBOLIC ? e.name() : "?")
                    : Long.toString(shape[i]);
      }
      return Arrays.toString(parts);
    }
  }

  /**
   * The encoder of a bundle: its interface from the manifest's formatVersion, T, C and C' from its
   * fields.
   */
  public static Graph encoder(ModelManifest manifest) {
    return encoder(
        manifest.batchedEncoder(),
        Size.of(manifest.clip().frames()),
        manifest.dims().channels(),
        manifest.dims().memoryChannels());
  }

  /**
   * The encoder graph that exporters write: a batch of N clips (manifest format 2).
   *
   * @param frames T: fixed, or any (a runner that does not know it)
   * @param channels C
   * @param memoryChannels C'
   */
  public static Graph encoder(Size frames, long channels, long memoryChannels) {
    return encoder(true, frames, channels, memoryChannels);
  }

  /**
   * The encoder graph of either interface.
   *
   * @param batched a batch of N clips with {@code box_clip} (format 2), or one clip (format 1)
   * @param frames T: fixed, or any (a runner that does not know it)
   * @param channels C
   * @param memoryChannels C'
   */
  public static Graph encoder(boolean batched, Size frames, long channels, long memoryChannels) {
    Size c = Size.of(channels);
    Size cp = Size.of(memoryChannels);
    if (!batched) {
      return new Graph(
          ModelManifest.ENCODER,
          List.of(
              new Tensor(CLIP, List.of(Size.of(1), Size.of(3), frames, HEIGHT, WIDTH)),
              new Tensor(BOXES, List.of(BOX_COUNT, Size.of(4)))),
          List.of(
              new Tensor(ROI_FEATS, List.of(BOX_COUNT, c)),
              new Tensor(KEY, List.of(cp)),
              new Tensor(CONTRIBUTION, List.of(cp, cp)),
              new Tensor(WEIGHT, List.of(Size.of(1)))));
    }
    return new Graph(
        ModelManifest.ENCODER,
        List.of(
            new Tensor(CLIP, List.of(CLIP_COUNT, Size.of(3), frames, HEIGHT, WIDTH)),
            new Tensor(BOXES, List.of(BOX_COUNT, Size.of(4))),
            new Tensor(BOX_CLIP, ElementType.INT64, List.of(BOX_COUNT))),
        List.of(
            new Tensor(ROI_FEATS, List.of(BOX_COUNT, c)),
            new Tensor(KEY, List.of(CLIP_COUNT, cp)),
            new Tensor(CONTRIBUTION, List.of(CLIP_COUNT, cp, cp)),
            new Tensor(WEIGHT, List.of(Size.of(1)))));
  }

  /** The context head of a bundle: C, C' and K from its manifest. */
  public static Graph contextHead(ModelManifest manifest) {
    ModelManifest.Dims d = manifest.dims();
    return contextHead(d.channels(), d.memoryChannels(), d.numClasses());
  }

  /** The context head graph for C, C' and K. */
  public static Graph contextHead(long channels, long memoryChannels, long classes) {
    Size cp = Size.of(memoryChannels);
    return new Graph(
        ModelManifest.CONTEXT_HEAD,
        List.of(
            new Tensor(ROI_FEATS, List.of(BOX_COUNT, Size.of(channels))),
            new Tensor(KEY, List.of(cp)),
            new Tensor(MEMORY, List.of(cp, cp))),
        List.of(new Tensor(SCORES, List.of(BOX_COUNT, Size.of(classes)))));
  }
}
