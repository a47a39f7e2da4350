package io.cmstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.runtime.onnx.OnnxModelWriter;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeProvidersTest {

  @Test
  void shouldNameTheProviderOfEveryEncoderNodeFromARealProfile() throws Exception {
    TinyBundle tiny = TinyBundle.small();
    byte[] encoder = new OnnxModelWriter().toBytes(tiny.encoderModel(17));
    Map<String, String> providers =
        NodeProviders.ofEncoder(
            new OrtSessionFactory(
                SessionSettings.on(Device.CPU).withOptimization(SessionSettings.Optimization.NONE)),
            encoder,
            tiny.t,
            tiny.h,
            tiny.w);
    // the tiny encoder has ReduceMean, 5 MatMul, Add, 2 Unsqueeze, Mul: all run, all on the CPU
    assertTrue(providers.size() >= 8, providers.toString());
    assertEquals(
        Set.of("CPUExecutionProvider"), Set.copyOf(providers.values()), providers.toString());
  }
}
