package io.cmstream.trainer.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** The PyTorch device of a {@code --device} option (cpu or cuda). */
public final class TorchDevice {
  private TorchDevice() {}

  /** The device named {@code name}; a clear error when CUDA is asked for and absent. */
  public static Device of(String name) {
    if (name.equals("cuda")) {
      if (Engine.getInstance().getGpuCount() == 0) {
        throw new IllegalArgumentException(
            "--device cuda: no CUDA device available to PyTorch "
                + "(this build has the CPU natives; on a GPU machine build with -Pcuda)");
      }
      return Device.gpu();
    }
    return Device.cpu();
  }
}
