package io.cmstream.common.cli;

import picocli.CommandLine;

/** Version string of every CM-Stream command, read from the jar manifest or the build. */
public final class ProjectVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = ProjectVersion.class.getPackage().getImplementationVersion();
    return new String[] {"CM-Stream " + (v == null ? "0.1.0-SNAPSHOT" : v)};
  }
}
