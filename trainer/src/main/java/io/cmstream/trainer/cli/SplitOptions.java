package io.cmstream.trainer.cli;

import io.cmstream.trainer.data.AvaSplit;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The split a command detects on (a picocli mixin of {@code trainer eval} and {@code trainer
 * infer}): the data set, the split and the proposal threshold, read the way training reads them.
 */
final class SplitOptions {

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "dataset folder (PySlowFast AVA layout)")
  Path data;

  @Option(
      names = "--split",
      defaultValue = "val",
      description = "split to detect on (default ${DEFAULT-VALUE})")
  String split;

  @Option(
      names = "--proposal-threshold",
      defaultValue = "0.5",
      description =
          "ignore proposals below this score (default ${DEFAULT-VALUE}, as trainer train)")
  double proposalThreshold;

  /** The split, with the proposals at or above the threshold. */
  AvaSplit load() {
    return AvaSplit.load(data, split, proposalThreshold, false);
  }
}
