package io.cmstream.app.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of one live run that {@code cm bench-live} and {@code cm gpu-check} share (a picocli
 * mixin): the bundle, the device, clips per stream, the encoder batch and the output folder. Each
 * command states its own defaults when it creates the mixin.
 */
public final class LiveRunOptions {

  @Option(
      names = "--bundle",
      required = true,
      paramLabel = "DIR",
      description = "model bundle folder")
  Path bundle;

  @Option(names = "--device", description = "cpu | cuda | auto (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--seconds", description = "clips per stream (default: ${DEFAULT-VALUE})")
  int seconds = 20;

  @Option(
      names = "--batch",
      description = "encoder batch across streams (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--out",
      description = "folder of the PNG and CSV of the run (default: ${DEFAULT-VALUE})")
  Path out;

  LiveRunOptions(String device, int batch, Path out) {
    this.device = device;
    this.batch = batch;
    this.out = out;
  }

  /** The same run with another encoder batch, written to {@code out}. */
  LiveRunOptions withBatch(int batch, Path out) {
    LiveRunOptions o = new LiveRunOptions(device, batch, out);
    o.bundle = bundle;
    o.seconds = seconds;
    return o;
  }
}
