package io.cmstream.trainer.importer;

/**
 * How a source names the parameters of the Slow-only ResNet and its RoI head. Stages are numbered
 * as ResNet papers do (res2 .. res5), blocks and units from 0.
 */
interface SourceNaming {
  /** The stem convolution's prefix (its BN: {@link #bn}). */
  String stemConv();

  String stemBn();

  /** Unit u (0 = a, 1 = b, 2 = c) of block b of stage s (2..5). */
  String unitConv(int stage, int block, int unit);

  String unitBn(int stage, int block, int unit);

  String projConv(int stage, int block);

  String projBn(int stage, int block);

  /** The detection head's linear layer. */
  String head();

  /**
   * PySlowFast ({@code slowfast/models/resnet_helper.py}, {@code stem_helper.py}, {@code
   * head_helper.py}).
   */
  SourceNaming PYSLOWFAST =
      new SourceNaming() {
        @Override
        public String stemConv() {
          return "s1.pathway0_stem.conv";
        }

        @Override
        public String stemBn() {
          return "s1.pathway0_stem.bn";
        }

        @Override
        public String unitConv(int s, int b, int u) {
          return "s" + s + ".pathway0_res" + b + ".branch2." + (char) ('a' + u);
        }

        @Override
        public String unitBn(int s, int b, int u) {
          return unitConv(s, b, u) + "_bn";
        }

        @Override
        public String projConv(int s, int b) {
          return "s" + s + ".pathway0_res" + b + ".branch1";
        }

        @Override
        public String projBn(int s, int b) {
          return projConv(s, b) + "_bn";
        }

        @Override
        public String head() {
          return "head.projection";
        }
      };
}
