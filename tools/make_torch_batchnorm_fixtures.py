#!/usr/bin/python3
"""Writes tests/fixtures/torch_batchnorm.json: torch.nn.BatchNorm1d and BatchNorm2d in float64.

Usage: /usr/bin/python3 tools/make_torch_batchnorm_fixtures.py tests/fixtures
       (needs Debian's python3-torch)

Each case is one layer with torch's defaults (eps 1e-5, momentum 0.1, affine, tracking running
statistics), given random weight, bias and starting running statistics, then run for three
training steps (a fresh batch each, the weights unchanged) and one evaluation step, so that
tests/test_batch_norm.cpp can compare every number:
  kind          "BatchNorm1d" or "BatchNorm2d"
  sample_shape  one sample's shape: [F], [C, L] or [C, H, W]
  batch         the batch size
  weight, bias, running_mean, running_var    the starting values, [C] each
  steps         three training steps, then an evaluation step, each:
    training      whether the layer was in training mode
    input         [batch, C·S], each row one sample flattened (NCHW)
    doutput       a random dloss/doutput [batch, C·S]: the loss is L = Σ output ⊙ doutput
    output        the layer's output [batch, C·S]
    dinput        dL/dinput [batch, C·S]
    dweight, dbias    dL/dweight, dL/dbias of this step alone [C]
    running_mean, running_var, num_batches_tracked    the buffers after the step

Seeds are fixed, so the file is the same on every run of the same torch. Doubles are written by
Python's repr (json), which round-trips them exactly. Nothing here imports project code.
"""
import json
import os
import sys

import torch
from torch import nn

torch.set_default_dtype(torch.float64)

# (name, seed, sample shape, batch): [F] and [C, L] are BatchNorm1d, [C, H, W] BatchNorm2d. The
# odd lengths leave a tail after the layer's blocks of eight values; 70 features are two parts.
CASES = [
    ("features_batch_5", 1, [3], 5),
    ("features_batch_2", 2, [4], 2),
    ("features_in_two_parts_batch_3", 8, [70], 3),  # the layer sums 64 features per part
    ("length_batch_5", 3, [4, 7], 5),
    ("length_batch_2", 4, [3, 5], 2),
    ("image_batch_5", 5, [3, 5, 3], 5),
    ("image_batch_2", 6, [2, 3, 7], 2),
    ("image_long_runs_batch_2", 7, [2, 7, 9], 2),
]


def rows(tensor):
    return tensor.reshape(tensor.shape[0], -1).tolist()


def make_case(name, seed, sample_shape, batch):
    torch.manual_seed(seed)
    channels = sample_shape[0]
    layer = nn.BatchNorm2d(channels) if len(sample_shape) == 3 else nn.BatchNorm1d(channels)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(channels))
        layer.bias.copy_(torch.randn(channels))
        layer.running_mean.copy_(0.5 * torch.randn(channels))
        layer.running_var.copy_(0.5 + torch.rand(channels))
    case = {
        "name": name,
        "kind": type(layer).__name__,
        "sample_shape": sample_shape,
        "batch": batch,
        "weight": layer.weight.tolist(),
        "bias": layer.bias.tolist(),
        "running_mean": layer.running_mean.tolist(),
        "running_var": layer.running_var.tolist(),
        "steps": [],
    }
    for training in (True, True, True, False):
        layer.train(training)
        layer.zero_grad()
        # Channels of their own scale and offset, so that μ and σ² differ from channel to channel.
        per_channel = [1, channels] + [1] * (len(sample_shape) - 1)
        scale = (0.5 + 2 * torch.rand(channels)).reshape(per_channel)
        offset = torch.randn(channels).reshape(scale.shape)
        x = (scale * torch.randn([batch] + sample_shape) + offset).requires_grad_(True)
        doutput = torch.randn([batch] + sample_shape)
        output = layer(x)
        output.backward(doutput)
        case["steps"].append({
            "training": training,
            "input": rows(x.detach()),
            "doutput": rows(doutput),
            "output": rows(output.detach()),
            "dinput": rows(x.grad),
            "dweight": layer.weight.grad.tolist(),
            "dbias": layer.bias.grad.tolist(),
            "running_mean": layer.running_mean.tolist(),
            "running_var": layer.running_var.tolist(),
            "num_batches_tracked": int(layer.num_batches_tracked),
        })
    return case


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
    cases = [make_case(*case) for case in CASES]
    with open(os.path.join(folder, "torch_batchnorm.json"), "w") as out:
        json.dump({"generator": "tools/make_torch_batchnorm_fixtures.py", "torch": torch.__version__,
                   "cases": cases}, out, separators=(",", ":"))
        out.write("\n")


if __name__ == "__main__":
    main()
