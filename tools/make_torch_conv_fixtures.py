#!/usr/bin/python3
"""Writes tests/fixtures/torch_conv2d.json: torch.nn.Conv2d forward and backward in float64.

Usage: /usr/bin/python3 tools/make_torch_conv_fixtures.py tests/fixtures
       (needs Debian's python3-torch)

Each case is one Conv2d, one batch of images and one fixed random R, recorded so that
tests/test_conv2d.cpp can rebuild the layer in scratchnet and compare every number:
  options      the constructor arguments: in_channels, out_channels, kernel_size, stride, padding,
               dilation, groups, bias
  input_shape  one sample's [channels, height, width]; output_shape likewise for the output
  input        [batch, C·H·W], each row one image in NCHW order
  weight       [out_channels, in_channels / groups · k · k], each row one filter, row-major
  bias         [out_channels], or [] without bias
  output       [batch, out_channels · Ho · Wo]
  r            R [batch, out_channels · Ho · Wo]: the backward pass is that of L = Σ output ⊙ R
  dinput       dL/dinput, laid out as input
  dweight      dL/dweight, laid out as weight
  dbias        dL/dbias (or [])

The cases cover odd and non-square images, 1, 2, 3, 4 and 6 input channels, stride 2 and 3,
padding 1 and 2 (a 5-wide kernel on a 5-wide image), dilation 2, groups 2 and depthwise
(groups = in = out), a 1×1 kernel, no bias, batch 1 and 3, and one case large enough that every
product runs scratchnet's packed matrix kernels rather than its small-product loops. Parameters
are torch's default initialisation, inputs randn. Seeds are fixed, so the file is the same on
every run of the same torch. Doubles are written by Python's repr (json), which round-trips them
exactly. Nothing here imports project code.
"""
import json
import os
import sys

import torch
from torch import nn

torch.set_default_dtype(torch.float64)

# (name, seed, batch, [C, H, W], Conv2d arguments)
CASES = [
    ("one_channel_odd_image", 1, 3, [1, 7, 5],
     dict(in_channels=1, out_channels=2, kernel_size=3)),
    ("three_channels_stride_2_padding_1", 2, 3, [3, 7, 8],
     dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, padding=1)),
    ("padding_2_kernel_as_wide_as_image_no_bias_batch_1", 3, 1, [3, 7, 5],
     dict(in_channels=3, out_channels=2, kernel_size=5, padding=2, bias=False)),
    ("dilation_2", 4, 3, [2, 9, 7],
     dict(in_channels=2, out_channels=3, kernel_size=3, padding=1, dilation=2)),
    ("groups_2", 5, 3, [4, 6, 7],
     dict(in_channels=4, out_channels=6, kernel_size=3, padding=1, groups=2)),
    ("depthwise_stride_2", 6, 3, [3, 7, 5],
     dict(in_channels=3, out_channels=3, kernel_size=3, stride=2, padding=1, groups=3)),
    ("kernel_1_stride_3_batch_1", 7, 1, [3, 5, 7],
     dict(in_channels=3, out_channels=5, kernel_size=1, stride=3)),
    ("everything_at_once_no_bias", 8, 3, [4, 9, 8],
     dict(in_channels=4, out_channels=2, kernel_size=3, stride=2, padding=2, dilation=2, groups=2,
          bias=False)),
    ("large_enough_for_packed_products", 9, 2, [6, 11, 13],
     dict(in_channels=6, out_channels=8, kernel_size=5)),
]


def rows(tensor):
    """A tensor as nested lists of rows: [batch, rest] (or [first dimension, rest])."""
    return tensor.reshape(tensor.shape[0], -1).tolist()


def run_case(name, seed, batch, input_shape, options):
    torch.manual_seed(seed)
    conv = nn.Conv2d(**options)
    x = torch.randn(batch, *input_shape).requires_grad_()
    output = conv(x)
    r = torch.randn_like(output)
    (output * r).sum().backward()
    full_options = {"in_channels": conv.in_channels, "out_channels": conv.out_channels,
                    "kernel_size": conv.kernel_size[0], "stride": conv.stride[0],
                    "padding": conv.padding[0], "dilation": conv.dilation[0],
                    "groups": conv.groups, "bias": conv.bias is not None}
    has_bias = conv.bias is not None
    return {
        "name": name,
        "seed": seed,
        "options": full_options,
        "input_shape": list(input_shape),
        "output_shape": list(output.shape[1:]),
        "input": rows(x.detach()),
        "weight": rows(conv.weight.detach()),
        "bias": conv.bias.detach().tolist() if has_bias else [],
        "output": rows(output.detach()),
        "r": rows(r),
        "dinput": rows(x.grad),
        "dweight": rows(conv.weight.grad),
        "dbias": conv.bias.grad.tolist() if has_bias else [],
    }


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "torch_conv2d.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/make_torch_conv_fixtures.py", "torch": torch.__version__,
                   "cases": [run_case(*case) for case in CASES]}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
