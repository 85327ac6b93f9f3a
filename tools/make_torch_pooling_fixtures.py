#!/usr/bin/python3
"""Writes tests/fixtures/torch_pooling.json: torch's pooling layers run in float64.

Usage: /usr/bin/python3 tools/make_torch_pooling_fixtures.py tests/fixtures
       (needs Debian's python3-torch)

Each case is one layer on one NCHW batch, recorded so that tests/test_pooling.cpp can compare
scratchnet's layer with it to 1e-10:
  kind        "MaxPool2d", "AvgPool2d" or "AdaptiveAvgPool2d" (output_size=1)
  kernel, stride, padding   the window (MaxPool2d and AvgPool2d; torch's other options are
              their defaults: dilation 1, ceil_mode False, count_include_pad True)
  shape       a sample's [C, H, W]
  input       [batch, C·H·W], each sample flattened NCHW; null stands for NaN
  output      [batch, C·Ho·Wo]
  doutput     a fixed random R: the case differentiates L = Σ output ⊙ R
  dinput      dL/dinput [batch, C·H·W]

The cases cover odd sizes, stride below, equal to and above the kernel, padding 1 and 2,
batches of 1 and 3, 1 and 4 channels; the max-pool inputs marked "ties" are small integers, so
that windows hold equal maxima (torch sends the gradient to the first in row-major order) and
overlapping windows share them (their gradients add), and one case holds NaNs (a NaN is a
window's maximum). For AvgPool2d the script checks that torch divides by k² at padded borders.
Seeds are fixed; doubles are written by Python's repr, which round-trips them. Nothing here
imports project code.
"""
import json
import math
import os
import sys

import torch
from torch import nn
from torch.nn import functional

torch.set_default_dtype(torch.float64)

# (name, seed, kind, kernel, stride, padding, batch, [C, H, W], values). values: "normal" for
# randn, "ties" for integers in [0, 3), "nan" for ties with some NaNs.
CASES = [
    ("max_k2_s2_odd", 1, "MaxPool2d", 2, 2, 0, 3, [4, 7, 9], "normal"),
    ("max_k3_s2_p1_batch_1", 2, "MaxPool2d", 3, 2, 1, 1, [1, 7, 5], "normal"),
    ("max_k3_s1_overlap_ties", 3, "MaxPool2d", 3, 1, 0, 3, [4, 6, 5], "ties"),
    ("max_k2_s1_p1_ties", 4, "MaxPool2d", 2, 1, 1, 3, [1, 5, 6], "ties"),
    ("max_k2_s3_batch_1", 5, "MaxPool2d", 2, 3, 0, 1, [4, 8, 7], "normal"),
    ("max_k5_s2_p2_ties", 6, "MaxPool2d", 5, 2, 2, 1, [4, 9, 6], "ties"),
    ("max_k2_s2_lenet", 7, "MaxPool2d", 2, 2, 0, 3, [6, 10, 10], "ties"),
    ("max_k3_s1_p1_nan", 8, "MaxPool2d", 3, 1, 1, 1, [1, 5, 5], "nan"),
    ("avg_k2_s2_odd", 11, "AvgPool2d", 2, 2, 0, 3, [4, 7, 9], "normal"),
    ("avg_k3_s2_p1_batch_1", 12, "AvgPool2d", 3, 2, 1, 1, [1, 7, 5], "normal"),
    ("avg_k3_s1_p1_overlap", 13, "AvgPool2d", 3, 1, 1, 3, [1, 5, 6], "normal"),
    ("avg_k2_s3_batch_1", 14, "AvgPool2d", 2, 3, 0, 1, [4, 8, 7], "normal"),
    ("avg_k5_s2_p2", 15, "AvgPool2d", 5, 2, 2, 3, [1, 9, 6], "normal"),
    ("avg_k2_s1_p1", 16, "AvgPool2d", 2, 1, 1, 1, [4, 3, 4], "normal"),
    ("adaptive_odd", 21, "AdaptiveAvgPool2d", None, None, None, 3, [4, 5, 7], "normal"),
    ("adaptive_batch_1", 22, "AdaptiveAvgPool2d", None, None, None, 1, [1, 3, 2], "normal"),
    ("adaptive_1x1", 23, "AdaptiveAvgPool2d", None, None, None, 3, [4, 1, 1], "normal"),
]


def layer(kind, kernel, stride, padding):
    if kind == "MaxPool2d":
        return nn.MaxPool2d(kernel, stride, padding)
    if kind == "AvgPool2d":
        return nn.AvgPool2d(kernel, stride, padding)
    return nn.AdaptiveAvgPool2d(1)


def make_input(batch, shape, values):
    if values == "normal":
        return torch.randn(batch, *shape)
    x = torch.randint(0, 3, (batch, *shape)).double()
    if values == "nan":
        x.view(-1)[torch.randperm(x.numel())[:3]] = math.nan
    return x


def check_avg_divisor(x, y, kernel, stride, padding):
    """AvgPool2d(count_include_pad=True) divides by k² even where the window holds padding."""
    sums = functional.avg_pool2d(x, kernel, stride, padding, divisor_override=1)
    assert torch.equal(y, sums / (kernel * kernel)), "AvgPool2d divides by another count"


def with_nulls(matrix):
    return [[None if math.isnan(v) else v for v in row] for row in matrix.tolist()]


def run_case(name, seed, kind, kernel, stride, padding, batch, shape, values):
    torch.manual_seed(seed)
    module = layer(kind, kernel, stride, padding)
    x = make_input(batch, shape, values).requires_grad_()
    y = module(x)
    if kind == "AvgPool2d":
        check_avg_divisor(x.detach(), y.detach(), kernel, stride, padding)
    doutput = torch.randn_like(y)
    (dinput,) = torch.autograd.grad(y, x, doutput)
    case = {"name": name, "seed": seed, "kind": kind, "shape": shape,
            "input": with_nulls(x.detach().reshape(batch, -1)),
            "output": with_nulls(y.detach().reshape(batch, -1)),
            "doutput": doutput.reshape(batch, -1).tolist(),
            "dinput": dinput.reshape(batch, -1).tolist()}
    if kernel is not None:
        case.update(kernel=kernel, stride=stride, padding=padding)
    return case


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "torch_pooling.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/make_torch_pooling_fixtures.py", "torch": torch.__version__,
                   "cases": [run_case(*case) for case in CASES]}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
