#!/bin/sh
# Container entry point: `detector ...` or `streamer ...` with the image's classpath.
set -e
cmd="$1"; shift || true
case "$cmd" in
  detector) main=io.cmstream.detector.cli.DetectorCli ;;
  streamer) main=io.cmstream.streamer.cli.StreamerCli ;;
  *) echo "usage: entrypoint.sh detector|streamer [args...]" >&2; exit 2 ;;
esac
exec java $JAVA_OPTS -cp "/app/lib/*" "$main" "$@"
