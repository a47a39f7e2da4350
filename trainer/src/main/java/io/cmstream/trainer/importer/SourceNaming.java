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

  /** The prefix of a classification checkpoint's classifier, which an import drops. */
  String classifier();

  /** What the source's import supports, for the refusals. */
  String supported();

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

        @Override
        public String classifier() {
          return "head.";
        }

        @Override
        public String supported() {
          return PySlowFastConfig.SUPPORTED;
        }
      };

  /**
   * MMAction2's {@code ResNet3dSlowOnly} ({@code mmaction/models/backbones/resnet3d.py}: stem
   * {@code conv1}, stages {@code layer1..4}, blocks {@code conv1..3} and {@code downsample}, each
   * an mmcv {@code ConvModule} with {@code .conv} and {@code .bn}) in a detector ({@code
   * backbone.}, the AVA head {@code roi_head.bbox_head.fc_cls}) or a recognizer (classifier {@code
   * cls_head.}).
   */
  SourceNaming MMACTION2 =
      new SourceNaming() {
        @Override
        public String stemConv() {
          return "backbone.conv1.conv";
        }

        @Override
        public String stemBn() {
          return "backbone.conv1.bn";
        }

        @Override
        public String unitConv(int s, int b, int u) {
          return block(s, b) + ".conv" + (u + 1) + ".conv";
        }

        @Override
        public String unitBn(int s, int b, int u) {
          return block(s, b) + ".conv" + (u + 1) + ".bn";
        }

        @Override
        public String projConv(int s, int b) {
          return block(s, b) + ".downsample.conv";
        }

        @Override
        public String projBn(int s, int b) {
          return block(s, b) + ".downsample.bn";
        }

        private String block(int s, int b) {
          return "backbone.layer" + (s - 1) + "." + b;
        }

        @Override
        public String head() {
          return "roi_head.bbox_head.fc_cls";
        }

        @Override
        public String classifier() {
          return "cls_head.";
        }

        @Override
        public String supported() {
          return MmactionConfig.SUPPORTED;
        }
      };
}
