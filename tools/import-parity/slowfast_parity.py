#!/usr/bin/env python3
"""PySlowFast parity: builds a Slow-only ResNet with PySlowFast's own code, random weights and
random batch-norm statistics, saves it as PySlowFast saves a checkpoint (a .pyth with
model_state, or a Caffe2 .pkl with blobs under their Caffe2 names), checks that PySlowFast's own
load_checkpoint reads it back to the same scores, and writes a fixture folder:

  checkpoint.pyth | checkpoint.pkl   the model (a .pyth also as checkpoint-legacy.pyth, pre-1.6 format)
  config.yaml                        the YAML given, with the overrides below written in
  labelmap.pbtxt                     K classes (a classification config: --classes or 6, for a new head)
  input.bin                          the clip, float32 little-endian, [1, 3, T, H, W] (detection only)
  expected.json                      input shape, boxes (normalised x1 y1 x2 y2), scores [R, K]
                                     (detection only: a classification model's classifier is dropped)

The Java side (trainer's SourceParityTest) imports it, scores it in DJL and through the exported
bundle on ONNX Runtime, and compares. Not run by CI (needs python3-torch, python3-torchvision,
python3-yaml and a PySlowFast tree). Example:

  git clone https://github.com/facebookresearch/SlowFast /tmp/SlowFast   # or any copy of it
  /usr/bin/python3 tools/import-parity/slowfast_parity.py --slowfast /tmp/SlowFast \
      --config /tmp/SlowFast/configs/AVA/SLOW_8x8_R50_SHORT.yaml --format pyth --width 4 --classes 6 \
      --out trainer/src/test/resources/import/pyslowfast-short-pyth
"""
import argparse
import json
import os
import pickle
import re
import sys

import numpy as np
import torch
import torch.nn as nn
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sources  # noqa: E402


def caffe2_name(key):
    """The Caffe2 blob name PySlowFast's c2_model_loading translates to this PyTorch key."""
    bn = {"weight": "s", "bias": "b", "running_mean": "rm", "running_var": "riv"}
    m = re.fullmatch(r"s1\.pathway0_stem\.conv\.weight", key)
    if m:
        return "conv1_w"
    m = re.fullmatch(r"s1\.pathway0_stem\.bn\.(\w+)", key)
    if m:
        return "res_conv1_bn_" + bn[m.group(1)]
    m = re.fullmatch(r"s(\d+)\.pathway0_res(\d+)\.branch2\.([abc])\.weight", key)
    if m:
        return "res%s_%s_branch2%s_w" % m.groups()
    m = re.fullmatch(r"s(\d+)\.pathway0_res(\d+)\.branch2\.([abc])_bn\.(\w+)", key)
    if m:
        return "res%s_%s_branch2%s_bn_%s" % (m.group(1), m.group(2), m.group(3), bn[m.group(4)])
    m = re.fullmatch(r"s(\d+)\.pathway0_res(\d+)\.branch1\.weight", key)
    if m:
        return "res%s_%s_branch1_w" % m.groups()
    m = re.fullmatch(r"s(\d+)\.pathway0_res(\d+)\.branch1_bn\.(\w+)", key)
    if m:
        return "res%s_%s_branch1_bn_%s" % (m.group(1), m.group(2), bn[m.group(3)])
    m = re.fullmatch(r"head\.projection\.(weight|bias)", key)
    if m:
        return "pred_" + m.group(1)[0]
    raise ValueError("no Caffe2 name for " + key)


def randomise(model, gen):
    """Random weights (PySlowFast's init, then perturbed) and random batch-norm statistics."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm3d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) * 0.6 + 0.4)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) * 1.5 + 0.5)
            elif isinstance(m, nn.Linear):
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (1.0 / m.in_features ** 0.5))
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--slowfast", required=True, help="a PySlowFast source tree")
    ap.add_argument("--config", required=True, help="a PySlowFast YAML (a detection config: DETECTION.ENABLE)")
    ap.add_argument("--format", choices=["pyth", "pkl"], required=True)
    ap.add_argument("--width", type=int, default=64, help="RESNET.WIDTH_PER_GROUP (64 = the real R50)")
    ap.add_argument("--classes", type=int, default=0, help="MODEL.NUM_CLASSES (0: the config's)")
    ap.add_argument("--size", default="224x224", help="input W x H (multiples of 16)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    get_cfg, builder, checkpoint, c2 = sources.load_pyslowfast(a.slowfast)
    with open(a.config) as f:
        raw = yaml.safe_load(f)
    raw.setdefault("RESNET", {})["WIDTH_PER_GROUP"] = a.width
    if a.classes and raw.get("DETECTION", {}).get("ENABLE", False):
        raw.setdefault("MODEL", {})["NUM_CLASSES"] = a.classes
    raw["NUM_GPUS"] = 0
    os.makedirs(a.out, exist_ok=True)
    cfg_path = os.path.join(a.out, "config.yaml")
    with open(cfg_path, "w") as f:
        f.write("# %s with RESNET.WIDTH_PER_GROUP %d, MODEL.NUM_CLASSES %s (tools/import-parity/slowfast_parity.py)\n"
                % (os.path.basename(a.config), a.width, a.classes or "as given"))
        yaml.safe_dump(raw, f, sort_keys=False)
    cfg = get_cfg()
    cfg.merge_from_file(cfg_path)
    detection = cfg.DETECTION.ENABLE

    gen = torch.Generator().manual_seed(a.seed)
    torch.manual_seed(a.seed)
    model = builder.ResNet(cfg)
    randomise(model, gen)
    model.eval()

    w, h = (int(v) for v in a.size.split("x"))
    t = cfg.DATA.NUM_FRAMES
    x = torch.randn((1, 3, t, h, w), generator=gen)
    px = [[0.07, 0.09, 0.63, 0.94], [0.32, 0.07, 0.95, 0.98], [0.47, 0.42, 0.53, 0.50], [-0.08, 0.2, 0.47, 1.08]]
    boxes = torch.tensor([[0, b[0] * w, b[1] * h, b[2] * w, b[3] * h] for b in px], dtype=torch.float32)
    if not detection:
        # a classification (Kinetics) model: its classifier is dropped by the import, so only the
        # file is checked here, at the config's own crop (its head pools a fixed window)
        x = torch.randn((1, 3, t, cfg.DATA.TRAIN_CROP_SIZE, cfg.DATA.TRAIN_CROP_SIZE), generator=gen)
    with torch.no_grad():
        scores = model([x], boxes) if detection else model([x])

    sd = model.state_dict()
    if a.format == "pyth":
        path = os.path.join(a.out, "checkpoint.pyth")
        # as slowfast/utils/checkpoint.py save_checkpoint writes it (optimizer state left out: not read)
        state = {"epoch": 1, "model_state": checkpoint.sub_to_normal_bn(sd), "cfg": cfg.dump()}
        torch.save(state, path)
        # the same in PyTorch's pre-1.6 format, as older model zoo files are
        torch.save(state, os.path.join(a.out, "checkpoint-legacy.pyth"), _use_new_zipfile_serialization=False)
    else:
        path = os.path.join(a.out, "checkpoint.pkl")
        convert = c2.get_name_convert_func()
        blobs = {}
        for k, v in sd.items():
            if k.endswith("num_batches_tracked"):
                continue
            name = caffe2_name(k)
            assert convert(name) == k, (name, convert(name), k)
            blobs[name] = v.numpy().astype(np.float32)
        blobs["conv1_w_momentum"] = np.zeros_like(blobs["conv1_w"])  # solver state a Caffe2 file carries
        blobs["model_iter"] = np.array([1000], dtype=np.int64)
        with open(path, "wb") as f:
            pickle.dump({"blobs": blobs}, f, protocol=2)

    # PySlowFast's own loader reads the file back into a fresh model: the same scores
    fresh = builder.ResNet(cfg)
    checkpoint.load_checkpoint(path, fresh, data_parallel=False, convert_from_caffe2=a.format == "pkl")
    fresh.eval()
    with torch.no_grad():
        again = fresh([x], boxes) if detection else fresh([x])
    diff = (again - scores).abs().max().item()
    assert diff == 0, "PySlowFast's load_checkpoint gives other scores: %g" % diff

    if detection:
        x.numpy().astype("<f4").tofile(os.path.join(a.out, "input.bin"))
    k = scores.shape[1] if detection else (a.classes or 6)
    with open(os.path.join(a.out, "labelmap.pbtxt"), "w") as f:
        for i in range(1, k + 1):
            f.write('item {\n  name: "class_%d"\n  id: %d\n}\n' % (i, i))
    with open(os.path.join(a.out, "expected.json"), "w") as f:
        json.dump({"config": os.path.basename(a.config), "format": a.format, "width": a.width,
                   "input_shape": list(x.shape) if detection else None, "boxes": px if detection else None,
                   "scores": [[round(float(v), 7) for v in row] for row in scores] if detection else None},
                  f, indent=1)
    size = os.path.getsize(path)
    print("wrote %s (%d bytes, %d parameters), scores %s, mean %.4f, PySlowFast's loader agrees"
          % (path, size, sum(p.numel() for p in model.parameters()), tuple(scores.shape), scores.mean().item()))


if __name__ == "__main__":
    main()
