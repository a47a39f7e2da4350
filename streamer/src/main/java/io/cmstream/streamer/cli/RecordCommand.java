package io.cmstream.streamer.cli;

import io.cmstream.streamer.publish.AvroClipRecorder;
import io.cmstream.streamer.publish.ClipSink;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    versionProvider = io.cmstream.common.cli.ProjectVersion.class,
    description = {
      "Records the clip records of a video to an Avro container file (what `detector replay` reads).",
      "Example: streamer record --input val_000.mp4 --proposals proposals_val.csv --out target/val_000.avro"
    })
final class RecordCommand extends StreamCommand {

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.avro",
      description = "Output Avro file.")
  Path out;

  @Option(
      names = "--stream-id",
      paramLabel = "ID",
      description = "Stream id. Default: the proposals video id or the input's file name.")
  String streamId;

  @Override
  ClipSink openSink(String id) {
    return new AvroClipRecorder(out, id);
  }

  @Override
  String streamId() {
    if (streamId != null) {
      return streamId;
    }
    return clip.videoId != null ? clip.videoId : clip.defaultVideoId();
  }

  @Override
  String destination() {
    return out.toString();
  }
}
