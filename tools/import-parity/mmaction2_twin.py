#!/usr/bin/env python3
"""MMAction2 parity against a hand-built PyTorch twin: MMAction2 needs mmcv and mmengine, which
cannot be installed here (no wheels for this Python without downloads from outside the package
registries), so this script re-creates, in plain PyTorch, the modules an MMAction2 SlowOnly
checkpoint holds, with MMAction2's module structure and state-dict key names:

  FastRCNN / Recognizer3D      backbone, roi_head | cls_head (data_preprocessor: buffers not saved)
  ResNet3dSlowOnly             mmaction/models/backbones/resnet3d.py, resnet3d_slowonly.py:
                               conv1 (ConvModule: .conv Conv3d 1xkxk no bias, .bn BN3d, ReLU),
                               maxpool 1x3x3 stride (1,2,2) pad (0,1,1), layer1..4 of Bottleneck3d
                               (conv1 3x1x1 or 1x1x1 by `inflate`, conv2 1x3x3 with the stage's
                               spatial stride and dilation (pytorch style), conv3 1x1x1, downsample
                               ConvModule 1x1x1), no pool2
  SingleRoIExtractor3D         temporal mean, then mmcv RoIAlign (here torchvision.ops.roi_align:
                               same output size, spatial scale 1/featmap_stride, sampling ratio
                               0 = adaptive, `aligned`; both compute the same bilinear average)
  BBoxHeadAVA                  temporal avg pool, spatial max pool, dropout, fc_cls, sigmoid
                               (multilabel); class 0 is the background class
  I3DHead                      cls_head.fc_cls (dropped by the import)
  ActionDataPreprocessor       (x - mean) / std on the 0-255 scale, RGB frames

The architecture comes from MMAction2's own config file (a .py of the MMAction2 tree, `_base_`
files merged as mmengine merges them: dicts recursively, other values replaced), with
`model.backbone.base_channels` and the head's class count overridden for small fixtures. It writes
a fixture folder:

  checkpoint.pth     {'meta': ..., 'state_dict': ...} as mmengine's CheckpointHook saves it
  config.json        the merged config (what mmengine.Config.fromfile(CFG).dump('config.json') gives)
  labelmap.pbtxt     K action classes (the head's classes without the background class)
  pixels.bin         the clip before the data preprocessor: RGB 0-255, float32 [1, 3, T, H, W]
  input.bin          the clip after it (detection only)
  expected.json      input shape, boxes (normalised x1 y1 x2 y2), scores [R, K] (background column
                     dropped, as the import drops it); null for a recognizer (classifier dropped)

The Java side (trainer's SourceParityTest) imports it and compares DJL's and ONNX Runtime's scores.
Not run by CI. Example (Debian's python3-torch, python3-torchvision):

  /usr/bin/python3 tools/import-parity/mmaction2_twin.py \
      --config mmaction2/configs/detection/slowonly/slowonly_kinetics400-pretrained-r50_8xb16-4x16x1-20e_ava21-rgb.py \
      --width 4 --classes 6 --size 64x48 --out trainer/src/test/resources/import/mmaction2-ava-pth
"""
import argparse
import collections
import json
import os
import sys

import torch
import torch.nn as nn
import torchvision.ops

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from slowfast_parity import randomise  # noqa: E402


# ---- MMAction2's config files: exec'd Python with `_base_` merged as mmengine does ----

def _merge(base, child):
    out = dict(base)
    for k, v in child.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and not v.get("_delete_", False):
            out[k] = _merge(out[k], v)
        else:
            out[k] = {kk: vv for kk, vv in v.items() if kk != "_delete_"} if isinstance(v, dict) else v
    return out


def load_config(path):
    ns = {}
    with open(path) as f:
        exec(compile(f.read(), path, "exec"), ns)
    own = {k: v for k, v in ns.items() if not k.startswith("__") and k != "_base_"
           and not callable(v) and not isinstance(v, type(os))}
    bases = ns.get("_base_", [])
    bases = [bases] if isinstance(bases, str) else bases
    merged = {}
    for b in bases:
        merged = _merge(merged, load_config(os.path.join(os.path.dirname(path), b)))
    return _merge(merged, own)


def plain(x):
    """Tuples as lists, as a JSON dump writes them."""
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x


def unscoped(t):
    return t.split(".")[-1]


# ---- the twin, with MMAction2's module names ----

class ConvModule(nn.Module):
    """mmcv.cnn.ConvModule(conv_cfg Conv3d, norm_cfg BN3d, act_cfg ReLU or None): .conv, .bn."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0, dilation=1, act=True):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, kernel, stride=stride, padding=padding, dilation=dilation, bias=False)
        self.bn = nn.BatchNorm3d(cout)
        self.activate = nn.ReLU() if act else None

    def forward(self, x):
        x = self.bn(self.conv(x))
        return self.activate(x) if self.activate is not None else x


class Bottleneck3d(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, spatial_stride, dilation, downsample, inflate):
        super().__init__()
        k1, p1 = ((3, 1, 1), (1, 0, 0)) if inflate else ((1, 1, 1), (0, 0, 0))
        self.conv1 = ConvModule(inplanes, planes, k1, 1, p1)
        self.conv2 = ConvModule(planes, planes, (1, 3, 3), (1, spatial_stride, spatial_stride),
                                (0, dilation, dilation), (1, dilation, dilation))
        self.conv3 = ConvModule(planes, planes * 4, 1, act=False)
        self.downsample = downsample
        self.relu = nn.ReLU()

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(self.conv3(self.conv2(self.conv1(x))) + identity)


class ResNet3dSlowOnly(nn.Module):
    blocks = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3)}

    def __init__(self, depth=50, base_channels=64, conv1_kernel=(1, 7, 7), conv1_stride_s=2,
                 spatial_strides=(1, 2, 2, 2), dilations=(1, 1, 1, 1), inflate=(0, 0, 1, 1), **ignored):
        super().__init__()
        k = tuple(conv1_kernel)
        self.conv1 = ConvModule(3, base_channels, k, (1, conv1_stride_s, conv1_stride_s),
                                tuple((kk - 1) // 2 for kk in k))
        self.maxpool = nn.MaxPool3d((1, 3, 3), (1, 2, 2), (0, 1, 1))
        inplanes = base_channels
        for i, n in enumerate(self.blocks[depth]):
            planes = base_channels * 2 ** i
            s, d = spatial_strides[i], dilations[i]
            down = None
            if s != 1 or inplanes != planes * 4:
                down = ConvModule(inplanes, planes * 4, 1, (1, s, s), act=False)
            layer = [Bottleneck3d(inplanes, planes, s, d, down, inflate[i] == 1)]
            inplanes = planes * 4
            layer += [Bottleneck3d(inplanes, planes, 1, d, None, inflate[i] == 1) for _ in range(1, n)]
            self.add_module("layer%d" % (i + 1), nn.Sequential(*layer))

    def forward(self, x):
        x = self.maxpool(self.conv1(x))
        for i in range(1, 5):
            x = getattr(self, "layer%d" % i)(x)
        return x


class SingleRoIExtractor3D(nn.Module):
    def __init__(self, output_size=16, featmap_stride=16, sampling_ratio=0, aligned=True, **ignored):
        super().__init__()
        self.output_size, self.scale = output_size, 1.0 / featmap_stride
        self.sampling_ratio, self.aligned = sampling_ratio, aligned

    def forward(self, feat, rois):
        feat = feat.mean(2, keepdim=True)
        r = torchvision.ops.roi_align(feat[:, :, 0], rois, self.output_size, self.scale,
                                      self.sampling_ratio, self.aligned)
        return r.unsqueeze(2)


class BBoxHeadAVA(nn.Module):
    def __init__(self, in_channels=2048, num_classes=81, dropout_ratio=0, **ignored):
        super().__init__()
        self.temporal_pool = nn.AdaptiveAvgPool3d((1, None, None))
        self.spatial_pool = nn.AdaptiveMaxPool3d((None, 1, 1))
        self.dropout = nn.Dropout(dropout_ratio) if dropout_ratio > 0 else None
        self.fc_cls = nn.Linear(in_channels, num_classes)

    def forward(self, x):
        if self.dropout is not None:
            x = self.dropout(x)
        x = self.spatial_pool(self.temporal_pool(x))
        return self.fc_cls(x.view(x.size(0), -1))


class AVARoIHead(nn.Module):
    def __init__(self, bbox_roi_extractor, bbox_head, **ignored):
        super().__init__()
        self.bbox_roi_extractor = SingleRoIExtractor3D(**bbox_roi_extractor)
        self.bbox_head = BBoxHeadAVA(**bbox_head)


class I3DHead(nn.Module):
    def __init__(self, in_channels=2048, num_classes=400, **ignored):
        super().__init__()
        self.fc_cls = nn.Linear(in_channels, num_classes)


class ActionDataPreprocessor(nn.Module):
    def __init__(self, mean, std, **ignored):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(-1, 1, 1, 1), False)
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(-1, 1, 1, 1), False)

    def forward(self, x):
        return (x - self.mean) / self.std


class Twin(nn.Module):
    """FastRCNN (backbone + roi_head) or Recognizer3D (backbone + cls_head)."""

    def __init__(self, model):
        super().__init__()
        b = dict(model["backbone"])
        assert unscoped(b.pop("type")) == "ResNet3dSlowOnly", "the twin builds ResNet3dSlowOnly only"
        self.backbone = ResNet3dSlowOnly(**b)
        if "roi_head" in model:
            self.roi_head = AVARoIHead(**model["roi_head"])
        else:
            self.cls_head = I3DHead(**model["cls_head"])
        self.data_preprocessor = ActionDataPreprocessor(**model["data_preprocessor"])

    def scores(self, pixels, rois):
        x = self.backbone(self.data_preprocessor(pixels[0]).unsqueeze(0))
        feats = self.roi_head.bbox_roi_extractor(x, rois)
        return torch.sigmoid(self.roi_head.bbox_head(feats))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", required=True, help="an MMAction2 SlowOnly config (.py)")
    ap.add_argument("--width", type=int, default=64, help="model.backbone.base_channels (64 = the real R50)")
    ap.add_argument("--classes", type=int, default=0, help="action classes K (0: the config's, background excluded)")
    ap.add_argument("--size", default="256x256", help="input W x H (multiples of 16)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    cfg = plain(load_config(a.config))
    model_cfg = cfg["model"]
    model_cfg["backbone"]["base_channels"] = a.width
    detection = "roi_head" in model_cfg
    if detection:
        head = model_cfg["roi_head"]["bbox_head"]
        head["in_channels"] = a.width * 32
        if a.classes:
            head["num_classes"] = a.classes + (1 if head.get("background_class", True) else 0)
    else:
        model_cfg["cls_head"]["in_channels"] = a.width * 32
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)

    gen = torch.Generator().manual_seed(a.seed)
    torch.manual_seed(a.seed)
    model = Twin(model_cfg)
    randomise(model, gen)
    model.eval()
    sd = collections.OrderedDict((k, v) for k, v in model.state_dict().items())
    assert not any(k.startswith("data_preprocessor") for k in sd), "preprocessor buffers are not saved"
    meta = {"epoch": 20, "iter": 20000, "mmengine_version": "0.10.4", "seed": a.seed,
            "experiment_name": os.path.splitext(os.path.basename(a.config))[0],
            "dataset_meta": None, "time": "20240101_000000"}
    path = os.path.join(a.out, "checkpoint.pth")
    torch.save({"meta": meta, "state_dict": sd}, path)

    scores, pixels = None, None
    w, h = (int(v) for v in a.size.split("x"))
    px = [[0.07, 0.09, 0.63, 0.94], [0.32, 0.07, 0.95, 0.98], [0.47, 0.42, 0.53, 0.50], [-0.08, 0.2, 0.47, 1.08]]
    if detection:
        pipeline = cfg.get("test_dataloader", {}).get("dataset", {}).get("pipeline") or cfg["val_pipeline"]
        t = next(s["clip_len"] for s in pipeline if unscoped(s["type"]) in ("SampleFrames", "SampleAVAFrames"))
        pixels = torch.randint(0, 256, (1, 3, t, h, w), generator=gen).float()
        rois = torch.tensor([[0, b[0] * w, b[1] * h, b[2] * w, b[3] * h] for b in px], dtype=torch.float32)
        fresh = Twin(model_cfg)
        fresh.load_state_dict(torch.load(path)["state_dict"])  # the saved file scores the same
        fresh.eval()
        with torch.no_grad():
            scores = model.scores(pixels, rois)
            again = fresh.scores(pixels, rois)
            clip = model.data_preprocessor(pixels[0]).unsqueeze(0)
        assert (again - scores).abs().max().item() == 0
        background = model_cfg["roi_head"]["bbox_head"].get("background_class", True)
        if background:
            scores = scores[:, 1:]
        pixels.numpy().astype("<f4").tofile(os.path.join(a.out, "pixels.bin"))
        clip.numpy().astype("<f4").tofile(os.path.join(a.out, "input.bin"))
        k = scores.shape[1]
    else:
        k = a.classes or 6
    with open(os.path.join(a.out, "labelmap.pbtxt"), "w") as f:
        for i in range(1, k + 1):
            f.write('item {\n  name: "class_%d"\n  id: %d\n}\n' % (i, i))
    with open(os.path.join(a.out, "expected.json"), "w") as f:
        json.dump({"config": os.path.basename(a.config), "format": "pth", "source": "mmaction2-twin",
                   "width": a.width,
                   "input_shape": list(pixels.shape) if detection else None, "boxes": px if detection else None,
                   "scores": [[round(float(v), 7) for v in row] for row in scores] if detection else None},
                  f, indent=1)
    print("wrote %s (%d bytes, %d parameters), scores %s, mean %s"
          % (path, os.path.getsize(path), sum(p.numel() for p in model.parameters()),
             tuple(scores.shape) if detection else None,
             "%.4f" % scores.mean().item() if detection else None))


if __name__ == "__main__":
    main()
