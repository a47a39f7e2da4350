"""Loads PySlowFast's own model code from a source tree, with the few missing dependencies stubbed.

Stubbed (not installable here, not part of the model's arithmetic): fvcore's CfgNode (a yacs-style
attribute dict with merge_from_file), fvcore's Registry and weight-init helpers, iopath's path
manager (plain open), pytorchvideo's sync batch norms / Swish / distributed helpers (unused by a
single-process Slow-only ResNet), simplejson (= json), and detectron2's ROIAlign, which is
torchvision.ops.roi_align with the same output size, spatial scale, sampling ratio and aligned
flag (detectron2's ROIAlign calls the same kernel).
"""
import copy
import importlib
import json
import os
import sys
import types

import torch
import torch.nn as nn
import torchvision.ops
import yaml


def _module(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


class CfgNode(dict):
    """fvcore.common.config.CfgNode as the config code uses it."""

    def __init__(self, init=None):
        super().__init__()
        for k, v in (init or {}).items():
            self[k] = CfgNode(v) if isinstance(v, dict) else v

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as e:
            raise AttributeError(name) from e

    def __setattr__(self, name, value):
        self[name] = value

    def clone(self):
        return copy.deepcopy(self)

    def merge_from_dict(self, d):
        for k, v in d.items():
            if isinstance(v, dict):
                if k not in self:
                    self[k] = CfgNode()
                self[k].merge_from_dict(v)
            else:
                self[k] = v

    def merge_from_file(self, path):
        with open(path) as f:
            self.merge_from_dict(yaml.safe_load(f) or {})

    def dump(self):
        def plain(x):
            return {k: plain(v) for k, v in x.items()} if isinstance(x, dict) else x
        return yaml.safe_dump(plain(self))


class Registry(dict):
    def __init__(self, name):
        super().__init__()
        self._name = name

    def register(self, obj=None):
        if obj is None:
            def deco(o):
                self[o.__name__] = o
                return o
            return deco
        self[obj.__name__] = obj
        return obj

    def get(self, name):
        return self[name]


def c2_msra_fill(module):
    nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
    if module.bias is not None:
        nn.init.constant_(module.bias, 0)


def c2_xavier_fill(module):
    nn.init.kaiming_uniform_(module.weight, a=1)
    if module.bias is not None:
        nn.init.constant_(module.bias, 0)


class ROIAlign(nn.Module):
    """detectron2.layers.ROIAlign = torchvision.ops.roi_align with the same arguments."""

    def __init__(self, output_size, spatial_scale, sampling_ratio, aligned=True):
        super().__init__()
        self.output_size = output_size
        self.spatial_scale = spatial_scale
        self.sampling_ratio = sampling_ratio
        self.aligned = aligned

    def forward(self, x, rois):
        return torchvision.ops.roi_align(x, rois, self.output_size, self.spatial_scale,
                                         self.sampling_ratio, self.aligned)


class _PathManager:
    def open(self, path, mode="r", **kw):
        return open(path, mode)

    def exists(self, path):
        return os.path.exists(path)

    def isfile(self, path):
        return os.path.isfile(path)

    def ls(self, path):
        return os.listdir(path)

    def mkdirs(self, path):
        os.makedirs(path, exist_ok=True)


def _unused(*a, **k):
    raise RuntimeError("not used by a single-process Slow-only ResNet")


def install_stubs():
    _module("fvcore")
    _module("fvcore.common")
    _module("fvcore.common.config", CfgNode=CfgNode)
    _module("fvcore.common.registry", Registry=Registry)
    _module("fvcore.nn")
    _module("fvcore.nn.weight_init", c2_msra_fill=c2_msra_fill, c2_xavier_fill=c2_xavier_fill)
    _module("iopath")
    _module("iopath.common")
    _module("iopath.common.file_io", PathManagerFactory=types.SimpleNamespace(get=lambda key=None: _PathManager()))
    _module("simplejson", **{k: getattr(json, k) for k in ("dumps", "loads", "dump", "load")})
    _module("pytorchvideo")
    _module("pytorchvideo.layers")
    _module("pytorchvideo.layers.batch_norm", NaiveSyncBatchNorm1d=nn.BatchNorm1d, NaiveSyncBatchNorm3d=nn.BatchNorm3d)
    _module("pytorchvideo.layers.swish", Swish=nn.SiLU)
    _module("pytorchvideo.layers.distributed", cat_all_gather=_unused, get_local_process_group=_unused,
            get_local_rank=lambda: 0, get_local_size=lambda: 1, get_world_size=lambda: 1,
            init_distributed_training=_unused)
    _module("detectron2")
    _module("detectron2.layers", ROIAlign=ROIAlign)


def load_pyslowfast(root):
    """Returns (defaults.get_cfg, video_model_builder, checkpoint, c2_model_loading) of the tree at root."""
    install_stubs()
    sys.path.insert(0, root)
    # the models package's __init__ imports every model family (MViT, contrastive, PyTorchVideo
    # wrappers); register the package without running it and import the modules the ResNet needs
    pkg = types.ModuleType("slowfast.models")
    pkg.__path__ = [os.path.join(root, "slowfast", "models")]
    importlib.import_module("slowfast")
    sys.modules["slowfast.models"] = pkg
    defaults = importlib.import_module("slowfast.config.defaults")
    builder = importlib.import_module("slowfast.models.video_model_builder")
    checkpoint = importlib.import_module("slowfast.utils.checkpoint")
    c2 = importlib.import_module("slowfast.utils.c2_model_loading")
    return defaults.get_cfg, builder, checkpoint, c2
