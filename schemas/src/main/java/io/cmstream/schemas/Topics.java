package io.cmstream.schemas;

import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place that names every topic of CM-Stream with its serdes.
 *
 * <ul>
 *   <li>{@code cm.clips}: key stream id (String), value {@link ClipRecord} (Avro single-object)
 *   <li>{@code cm.detections}: key stream id (String), value {@link DetectionRecord}
 *   <li>{@code cm.clips.dlq}: the original key and value bytes of every clip record that could not
 *       be processed, with the {@link DeadLetter} headers saying why, where and when
 * </ul>
 *
 * Names are configurable ({@link #named}); {@link #defaults()} gives the names above.
 */
public record Topics(
    Topic<String, ClipRecord> clips,
    Topic<String, DetectionRecord> detections,
    Topic<byte[], byte[]> clipsDlq) {

  public static final String CLIPS = "cm.clips";
  public static final String DETECTIONS = "cm.detections";
  public static final String CLIPS_DLQ = "cm.clips.dlq";

  /** The default topic names. */
  public static Topics defaults() {
    return named(CLIPS, DETECTIONS, CLIPS_DLQ);
  }

  /** The topics under other names (for instance one set per environment). */
  public static Topics named(String clips, String detections, String clipsDlq) {
    return new Topics(
        new Topic<>(clips, Serdes.String(), AvroSerdes.clipRecord()),
        new Topic<>(detections, Serdes.String(), AvroSerdes.detectionRecord()),
        new Topic<>(clipsDlq, Serdes.ByteArray(), Serdes.ByteArray()));
  }

  /** Every topic name, for creating them. */
  public List<String> names() {
    return List.of(clips.name(), detections.name(), clipsDlq.name());
  }
}
