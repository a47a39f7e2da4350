package io.cmstream.detector.topology;

/** The same behaviour contract on in-memory stores (what replay uses by default). */
class InMemoryStoresTopologyTest extends DetectorTopologyTest {

  @Override
  protected DetectorTopology.Stores stores() {
    return DetectorTopology.Stores.IN_MEMORY;
  }
}
