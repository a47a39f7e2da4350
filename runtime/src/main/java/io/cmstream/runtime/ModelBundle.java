package io.cmstream.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.common.window.WindowSpan;
import io.cmstream.schemas.manifest.BundleManifests;
import io.cmstream.schemas.manifest.InvalidBundleException;
import io.cmstream.schemas.manifest.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A verified model bundle with its two ONNX Runtime sessions open.
 *
 * <p>{@link #open} refuses (with {@link InvalidBundleException}, one line naming the bundle and the
 * file) a bundle whose manifest is invalid, whose listed files are missing or altered (sha256),
 * whose ONNX files use an unsupported opset or another opset than the manifest says, whose label
 * map disagrees with the manifest's classes, or whose graph inputs/outputs do not have the names
 * and shapes the manifest implies ({@link GraphContract}, docs/bundle-contract.md section 3).
 *
 * <pre>{@code
 * try (ModelBundle bundle = ModelBundle.open(dir, SessionSettings.on(Device.AUTO))) {
 *   // clip = bundle.clipSpec() applied by the ava-tools clip pipeline: [3,T,H,W]
 *   EncoderOutput out = bundle.encoder().encode(clip, T, H, W, boxes);
 *   // clips of one T,H,W (several streams): one call of a formatVersion-2 encoder
 *   List<EncoderOutput> outs = bundle.encoder().encodeBatch(List.of(new EncoderInput(clip, T, H, W, boxes)));
 *   Memory memory = Memory.at(bundle.window(), second, contributionsBySecond);   // MemoryContribution.of(out)
 *   float[][] scores = bundle.contextHead().scores(out, memory.matrix());       // [R][K]
 * }
 * }</pre>
 *
 * One bundle = one pair of sessions; open one per stream thread. Close it to free the sessions. The
 * runners are the shared {@link EncoderRunner} and {@link ContextHeadRunner}.
 */
public final class ModelBundle implements AutoCloseable {

  private final Path dir;
  private final ModelManifest manifest;
  private final OrtProvider provider;
  private final EncoderRunner encoder;
  private final ContextHeadRunner contextHead;

  private ModelBundle(
      Path dir,
      ModelManifest manifest,
      OrtProvider provider,
      EncoderRunner encoder,
      ContextHeadRunner contextHead) {
    this.dir = dir;
    this.manifest = manifest;
    this.provider = provider;
    this.encoder = encoder;
    this.contextHead = contextHead;
  }

  /** Verifies and opens a bundle with sessions of a new factory (logs the provider once). */
  public static ModelBundle open(Path dir, SessionSettings settings) {
    return open(dir, new OrtSessionFactory(settings));
  }

  /**
   * Verifies and opens a bundle.
   *
   * @throws InvalidBundleException if the bundle must not be used (message names the file)
   * @throws DeviceUnavailableException never here (the factory already resolved its device)
   */
  public static ModelBundle open(Path dir, OrtSessionFactory sessions) {
    ModelManifest manifest = BundleManifests.verify(dir);
    byte[] encoderBytes = readGraph(dir, manifest, ModelManifest.ENCODER);
    byte[] headBytes = readGraph(dir, manifest, ModelManifest.CONTEXT_HEAD);
    checkLabelMap(dir, manifest);
    OrtSession encoderSession = null;
    OrtSession headSession = null;
    try {
      encoderSession = session(dir, sessions, encoderBytes, ModelManifest.ENCODER);
      headSession = session(dir, sessions, headBytes, ModelManifest.CONTEXT_HEAD);
      GraphContract.encoder(manifest).check(encoderSession);
      GraphContract.contextHead(manifest).check(headSession);
      ModelManifest.Dims dims = manifest.dims();
      EncoderRunner encoder =
          new EncoderRunner(encoderSession, dims.channels(), dims.memoryChannels());
      ContextHeadRunner head =
          new ContextHeadRunner(
              headSession, dims.channels(), dims.memoryChannels(), dims.numClasses());
      return new ModelBundle(dir, manifest, sessions.provider(), encoder, head);
    } catch (IllegalArgumentException | OrtException e) {
      closeQuietly(encoderSession);
      closeQuietly(headSession);
      throw refused(dir, e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(encoderSession);
      closeQuietly(headSession);
      throw e;
    }
  }

  public Path dir() {
    return dir;
  }

  public ModelManifest manifest() {
    return manifest;
  }

  /** The clip pipeline settings the model was trained with (serve with exactly these). */
  public ClipSpec clipSpec() {
    return clipSpec(manifest);
  }

  /** The clip pipeline settings a manifest describes ({@link ClipSpec#of(ModelManifest.Clip)}). */
  public static ClipSpec clipSpec(ModelManifest manifest) {
    return ClipSpec.of(manifest.clip());
  }

  /** The execution provider both sessions run on. */
  public OrtProvider provider() {
    return provider;
  }

  public EncoderRunner encoder() {
    return encoder;
  }

  public ContextHeadRunner contextHead() {
    return contextHead;
  }

  /** The memory window the model was trained with. */
  public WindowSpan window() {
    return new WindowSpan(manifest.window().back(), manifest.window().ahead());
  }

  /**
   * The training window with fewer seconds ahead (lower latency; 0 is causal).
   *
   * @throws IllegalArgumentException if {@code ahead} is negative or more than the training ahead
   */
  public WindowSpan window(int ahead) {
    return window().withAhead(ahead);
  }

  /** Closes both sessions. */
  @Override
  public void close() {
    try (encoder;
        contextHead) {
      // closed by try-with-resources, context head first
    } catch (OrtException e) {
      // closing a session only frees native memory; nothing to report to the caller
    }
  }

  private static byte[] readGraph(Path dir, ModelManifest manifest, String file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(file));
    } catch (IOException e) {
      throw refused(dir, "cannot read " + file + ": " + e.getMessage(), e);
    }
    long opset;
    try {
      opset = OnnxOpsets.supportedDefaultOpset(OnnxOpsets.read(bytes));
    } catch (IOException e) {
      throw refused(dir, file + " is not an ONNX model: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw refused(dir, file + " " + e.getMessage(), e);
    }
    if (opset != manifest.opset()) {
      throw refused(
          dir, file + " uses opset " + opset + " but the manifest says " + manifest.opset(), null);
    }
    return bytes;
  }

  private static void checkLabelMap(Path dir, ModelManifest manifest) {
    LabelMap labels;
    try {
      labels = LabelMapPbtxt.read(dir.resolve(ModelManifest.LABEL_MAP));
    } catch (RuntimeException e) {
      throw refused(dir, ModelManifest.LABEL_MAP + " cannot be read: " + e.getMessage(), e);
    }
    Map<Integer, String> inFile = new TreeMap<>();
    labels.labels().forEach(l -> inFile.put(l.id(), l.name()));
    Map<Integer, String> inManifest = new TreeMap<>();
    manifest.classes().forEach(c -> inManifest.put(c.id(), c.name()));
    if (!inFile.equals(inManifest)) {
      throw refused(
          dir,
          ModelManifest.LABEL_MAP
              + " has classes "
              + inFile
              + " but the manifest lists "
              + inManifest,
          null);
    }
  }

  private static OrtSession session(
      Path dir, OrtSessionFactory sessions, byte[] bytes, String file) {
    try {
      return sessions.create(bytes);
    } catch (OrtException e) {
      throw refused(dir, file + " does not load in ONNX Runtime: " + firstLine(e.getMessage()), e);
    }
  }

  private static InvalidBundleException refused(Path dir, String why, Throwable cause) {
    return new InvalidBundleException("model bundle " + dir + ": " + why, cause);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  private static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException e) {
        // closing a session only frees native memory; nothing to report to the caller
      }
    }
  }
}
