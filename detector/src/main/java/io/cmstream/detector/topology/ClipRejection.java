package io.cmstream.detector.topology;

import io.cmstream.schemas.DlqReason;

/** Why a clip is refused: a dead-letter reason and one line of detail. */
public record ClipRejection(DlqReason reason, String detail) {}
