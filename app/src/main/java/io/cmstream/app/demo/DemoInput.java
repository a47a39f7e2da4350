package io.cmstream.app.demo;

import java.nio.file.Path;

/**
 * The video the demo streams and what comes with it: the stream id (= AVA video id), person
 * proposals (null: HOG in the streamer), and for synthetic input the ground truth, label map and
 * exclusions the report scores against (null for any other video).
 */
public record DemoInput(
    Path video, String streamId, Path proposals, Path groundTruth, Path labelMap, Path exclusions) {

  public boolean hasGroundTruth() {
    return groundTruth != null;
  }
}
