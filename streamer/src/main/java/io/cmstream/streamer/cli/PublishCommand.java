package io.cmstream.streamer.cli;

import io.cmstream.schemas.Topics;
import io.cmstream.streamer.publish.ClipSink;
import io.cmstream.streamer.publish.KafkaClipPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    versionProvider = io.cmstream.common.cli.ProjectVersion.class,
    description = {
      "Publishes one clip record per second of video to Kafka (key: stream id).",
      "Example: streamer publish --input street.mp4 --stream-id cam-1 --bootstrap-servers localhost:9092"
    })
final class PublishCommand extends StreamCommand {

  @Option(
      names = "--stream-id",
      required = true,
      paramLabel = "ID",
      description = "Stream id (the record key).")
  String streamId;

  @Option(
      names = "--bootstrap-servers",
      required = true,
      paramLabel = "HOSTS",
      description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(
      names = "--topic",
      defaultValue = Topics.CLIPS,
      paramLabel = "TOPIC",
      description = "Clip topic. Default ${DEFAULT-VALUE}.")
  String topic;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Producer properties (compression.type, max.request.size, security...); idempotence and acks=all always apply.")
  Path config;

  @Override
  ClipSink openSink(String id) {
    Properties overrides = new Properties();
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw new IllegalArgumentException("producer config not found: " + config);
      }
      try (InputStream in = Files.newInputStream(config)) {
        overrides.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read producer config " + config + ": " + e.getMessage(), e);
      }
    }
    return new KafkaClipPublisher(
        bootstrapServers,
        Topics.named(topic, Topics.DETECTIONS, Topics.CLIPS_DLQ).clips(),
        id,
        overrides);
  }

  @Override
  String streamId() {
    return streamId;
  }

  @Override
  String destination() {
    return topic + " at " + bootstrapServers;
  }
}
