package io.cmstream.schemas;

import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;

/** Ready serdes for the topic records, each accepting every known writer schema. */
public final class AvroSerdes {

  private AvroSerdes() {}

  /** Serde of {@code cm.clips} values. */
  public static AvroSingleObjectSerde<ClipRecord> clipRecord() {
    return AvroSingleObjectSerde.of(ClipRecord.class);
  }

  /** Serde of {@code cm.detections} values. */
  public static AvroSingleObjectSerde<DetectionRecord> detectionRecord() {
    return AvroSingleObjectSerde.of(DetectionRecord.class);
  }
}
