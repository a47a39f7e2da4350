package io.cmstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.cmstream.runtime.onnx.OnnxModelWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrtSessionFactoryTest {

  private final byte[] head = new OnnxModelWriter().toBytes(TinyBundle.small().headModel(17));

  private static boolean cudaUsable;

  @BeforeAll
  static void probeCuda() {
    try {
      new OrtSessionFactory(SessionSettings.on(Device.CUDA));
      cudaUsable = true;
    } catch (DeviceUnavailableException e) {
      cudaUsable = false;
    }
  }

  private static boolean cudaUsable() {
    return cudaUsable;
  }

  @Test
  void shouldRunOnTheCpuWhenAsked() throws OrtException {
    OrtSessionFactory factory = new OrtSessionFactory(SessionSettings.on(Device.CPU));

    try (OrtSession session = factory.create(head)) {
      assertEquals(OrtProvider.CPU, factory.provider());
      assertEquals(3, session.getNumInputs());
    }
  }

  @Test
  void shouldFallBackToTheCpuOnAutoWithoutCuda() {
    OrtSessionFactory factory = new OrtSessionFactory(SessionSettings.on(Device.AUTO));

    assertEquals(cudaUsable() ? OrtProvider.CUDA : OrtProvider.CPU, factory.provider());
  }

  @Test
  void shouldExplainWhyCudaIsMissingWhenAskedForIt() {
    if (cudaUsable()) {
      assertEquals(
          OrtProvider.CUDA, new OrtSessionFactory(SessionSettings.on(Device.CUDA)).provider());
      return;
    }
    DeviceUnavailableException e =
        assertThrows(
            DeviceUnavailableException.class,
            () -> new OrtSessionFactory(SessionSettings.on(Device.CUDA)));

    assertTrue(
        e.getMessage().startsWith("--device cuda was asked but CUDA is not available: "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("use --device cpu or auto)"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), "one line");
  }

  @Test
  void shouldApplyThreadsAndOptimisationLevel() throws OrtException {
    SessionSettings settings =
        SessionSettings.on(Device.CPU)
            .withThreads(2, 1)
            .withOptimization(SessionSettings.Optimization.parse("basic"));
    OrtSessionFactory factory = new OrtSessionFactory(settings);

    try (OrtSession session = factory.create(head)) {
      assertEquals(1, session.getNumOutputs());
    }
  }

  @Test
  void shouldParseDevicesAndRefuseUnknownOnes() {
    assertEquals(Device.CUDA, Device.parse("CUDA"));
    assertEquals(Device.AUTO, Device.parse(" auto "));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
    assertEquals("unknown device 'tpu' (expected cpu, cuda or auto)", e.getMessage());
  }

  @Test
  void shouldRefuseNegativeThreadCounts() {
    assertThrows(
        IllegalArgumentException.class, () -> SessionSettings.defaults().withThreads(-1, 0));
  }
}
