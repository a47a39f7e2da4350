package io.cmstream.detector.cli;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.replay.Bench;
import io.cmstream.detector.replay.RecordingReader;
import io.cmstream.detector.replay.SyntheticClips;
import io.cmstream.schemas.avro.ClipRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measures replay throughput against the raw encoder+head loop, and state bytes per stream "
            + "after 10, 100 and 1000 seconds.")
final class ReplayBenchCommand implements Callable<Integer> {

  @Mixin ModelOptions model;

  @Option(
      names = "--input",
      arity = "1..*",
      paramLabel = "RECORDING",
      description = "recordings to measure throughput on (default: synthetic clips)")
  List<Path> inputs;

  @Option(
      names = "--clips",
      description = "synthetic clips for the throughput run (default: ${DEFAULT-VALUE})")
  int clips = 200;

  @Mixin SyntheticClipOptions synthetic = new SyntheticClipOptions();

  @Option(
      names = "--rounds",
      description = "measured rounds per path, median reported (default: ${DEFAULT-VALUE})")
  int rounds = 5;

  @Option(
      names = "--state-seconds",
      split = ",",
      description = "checkpoints for state bytes (default: 10,100,1000)")
  List<Integer> stateSeconds = List.of(10, 100, 1000);

  @Override
  public Integer call() {
    DetectorConfig cfg = model.config();
    SyntheticClips synth = synthetic.clips(cfg.model().clipSpec().frames());
    List<ClipRecord> input;
    if (inputs != null) {
      input = RecordingReader.readAll(RecordingReader.expand(inputs));
    } else {
      input = new ArrayList<>();
      for (int s = 0; s < clips; s++) {
        input.add(synth.clip("bench-" + (s % 4), s / 4, s >= clips - 4));
      }
    }
    System.out.printf(
        "model %s, window back %d ahead %d grace %d, %d clips%n",
        cfg.model().modelId(),
        cfg.window().back(),
        cfg.window().ahead(),
        cfg.window().grace(),
        input.size());
    Bench.Throughput t = Bench.throughput(cfg, input, rounds);
    System.out.printf(
        "raw encoder+head loop : %8.1f clips/s  (median of %d rounds)%n",
        t.rawClipsPerSecond(), rounds);
    System.out.printf(
        "replay, in-memory     : %8.1f clips/s  (ratio to raw %.3f)%n",
        t.replayInMemoryClipsPerSecond(), t.replayInMemoryClipsPerSecond() / t.rawClipsPerSecond());
    System.out.printf(
        "replay, RocksDB       : %8.1f clips/s  (ratio to raw %.3f)%n",
        t.replayRocksDbClipsPerSecond(), t.replayRocksDbClipsPerSecond() / t.rawClipsPerSecond());
    Map<Integer, Long> state = Bench.stateBytes(cfg, synth, stateSeconds);
    state.forEach((s, b) -> System.out.printf("state after %5d s    : %8d bytes%n", s, b));
    return 0;
  }
}
