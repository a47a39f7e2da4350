package io.cmstream.ava.video;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's own console log is silenced (its problems surface as one-line exceptions); set
 * CM_DEBUG=1 to see it.
 */
final class FfmpegLog {
  private FfmpegLog() {}

  static void quiet() {
    avutil.av_log_set_level(
        System.getenv("CM_DEBUG") != null ? avutil.AV_LOG_INFO : avutil.AV_LOG_QUIET);
  }
}
