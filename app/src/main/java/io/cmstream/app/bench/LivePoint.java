package io.cmstream.app.bench;

/**
 * One measured point of the live benchmark.
 *
 * @param streams streams published at once
 * @param clips clips published (= detections read)
 * @param clipsPerSecond clips / (last committed detection - first send)
 * @param p50Ms median send-to-committed-detection latency
 * @param p95Ms 95th percentile of the same
 * @param cpuCores process CPU time / wall time over the run (broker, publisher and detector: one
 *     JVM)
 * @param rawClipsPerSecond the raw encoder+head loop on the same clips, measured just before on
 *     warm sessions
 * @param serviceCpuMsPerClip CPU time of the detector's stream threads per clip (the service's own
 *     work: not the broker, publisher and reader that share the JVM here)
 * @param rawCpuMsPerClip CPU time of the raw loop per clip, on its one thread
 */
public record LivePoint(
    int streams,
    long clips,
    double clipsPerSecond,
    double p50Ms,
    double p95Ms,
    double cpuCores,
    double rawClipsPerSecond,
    double serviceCpuMsPerClip,
    double rawCpuMsPerClip) {

  public double ratioToRaw() {
    return clipsPerSecond / rawClipsPerSecond;
  }

  /** Raw loop CPU per clip over the stream threads' CPU per clip: 1 = no overhead of its own. */
  public double cpuRatioToRaw() {
    return rawCpuMsPerClip / serviceCpuMsPerClip;
  }
}
