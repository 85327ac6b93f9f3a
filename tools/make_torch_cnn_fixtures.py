#!/usr/bin/python3
"""Writes tests/fixtures/torch_cnn.json: convolutional networks, given as scratchnet layer specs,
built as torch.nn.Sequential, run and differentiated in float64.

Usage: /usr/bin/python3 tools/make_torch_cnn_fixtures.py tests/fixtures
       (needs Debian's python3-torch)

Each case is one network, one batch and one loss, recorded so that tests/test_torch_cnn.cpp can
build the same spec in scratchnet, load the same state_dict and compare every number:
  spec         the scratchnet layer spec ("conv:4:3:padding=1:relu,maxpool:2,flatten,3")
  input_shape  one sample's shape, [C, H, W] (or [C, L] for BatchNorm1d over a sequence)
  mode         "train" (BatchNorm uses and updates the batch statistics) or "eval"
  loss         "MSELoss", "BCEWithLogitsLoss" or "CrossEntropyLoss" (reduction='mean')
  layers       the torch modules, as str() prints them (for a reader)
  state_dict   every parameter and buffer before the pass, by name, nested lists; the int64
               num_batches_tracked as a number
  input        [batch, C·H·W], each sample flattened (NCHW)
  target       [batch, outputs]; for CrossEntropyLoss [batch, 1] holding the class indices
  output       the network's output [batch, outputs]
  loss_value   the loss
  gradients    every parameter's .grad after loss.backward(), by name
  dinput       dloss/dinput [batch, C·H·W]
  buffers      every buffer after the pass (a training pass updates BatchNorm's), by name

The spec is translated here, independently of scratchnet's parser, by the grammar its README
gives. Together the cases cover every image layer (Conv2d with stride, padding, dilation, groups,
depthwise and no bias; MaxPool2d and AvgPool2d with stride and padding; BatchNorm1d on features
and on sequences, BatchNorm2d, in both modes; Flatten; AdaptiveAvgPool2d), odd sizes, batch 1.
Seeds are fixed, so the file is the same on every run of the same torch. Doubles are written by
Python's repr (json), which round-trips them exactly. Nothing here imports project code.
"""
import json
import os
import sys

import torch
from torch import nn

torch.set_default_dtype(torch.float64)

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid,
               "gelu": lambda: nn.GELU(approximate="none")}


def activation(token):
    name, _, value = token.partition("=")
    if name == "leaky_relu":
        return nn.LeakyReLU(float(value)) if value else nn.LeakyReLU()
    return ACTIVATIONS[name]() if name in ACTIVATIONS else None


def options(pieces):
    """{"stride": 2, ...} and the switches of an entry's pieces after its positional ones."""
    values, switches = {}, set()
    for piece in pieces:
        name, equals, value = piece.partition("=")
        if equals:
            values[name] = int(value)
        else:
            switches.add(name)
    return values, switches


def entry_modules(entry, shape):
    """The torch modules of one spec entry for an input of `shape` (channels first)."""
    pieces = entry.split(":")
    token = pieces[0]
    trailing = activation(pieces[-1]) if len(pieces) > 1 else None
    if trailing is not None:
        pieces = pieces[:-1]
    if token == "conv":
        values, switches = options(pieces[3:])
        conv = nn.Conv2d(shape[0], int(pieces[1]), int(pieces[2]), stride=values.get("stride", 1),
                         padding=values.get("padding", 0), dilation=values.get("dilation", 1),
                         groups=values.get("groups", 1), bias="nobias" not in switches)
        return [conv] + ([trailing] if trailing else [])
    if token in ("maxpool", "avgpool"):
        values, _ = options(pieces[2:])
        kernel = int(pieces[1])
        pool = nn.MaxPool2d if token == "maxpool" else nn.AvgPool2d
        return [pool(kernel, stride=values.get("stride", kernel), padding=values.get("padding", 0))]
    if token == "batchnorm":
        return [(nn.BatchNorm2d if len(shape) == 3 else nn.BatchNorm1d)(shape[0])]
    if token == "flatten":
        return [nn.Flatten()]
    if token == "globalavgpool":
        return [nn.AdaptiveAvgPool2d(1)]
    alone = activation(token)
    if alone is not None:
        return [alone]
    # UNITS[:nobias][:ACTIVATION]
    linear = nn.Linear(shape[0], int(token), bias="nobias" not in pieces)
    return [linear] + ([trailing] if trailing else [])


def network_of(spec, input_shape):
    modules, shape = [], list(input_shape)
    for entry in spec.split(","):
        for module in entry_modules(entry, shape):
            modules.append(module)
            module.eval()  # a batch of one passes BatchNorm in evaluation mode
            with torch.no_grad():
                shape = list(module(torch.zeros(1, *shape)).shape[1:])
    return nn.Sequential(*modules)


def make_target(kind, batch, outputs):
    if kind == "CrossEntropyLoss":
        return torch.randint(0, outputs, (batch,))
    if kind == "BCEWithLogitsLoss":
        return (torch.rand(batch, outputs) < 0.5).double()
    return torch.randn(batch, outputs)


def tensors(state):
    return {name: (value.item() if value.dtype == torch.int64 else value.tolist())
            for name, value in state.items()}


# (name, seed, spec, input shape, batch, mode, loss)
CASES = [
    ("lenet_small_cross_entropy", 1,
     "conv:4:5:padding=2:relu,maxpool:2,conv:6:3:relu,maxpool:2,flatten,10:relu,3",
     [1, 12, 12], 2, "eval", "CrossEntropyLoss"),
    ("conv_stride_padding_dilation_groups_no_bias_mse", 2,
     "conv:4:3:stride=2:padding=1:dilation=2:groups=2:nobias:tanh,flatten,3",
     [2, 9, 7], 3, "eval", "MSELoss"),
    ("depthwise_leaky_avgpool_padding_batch_1_bce", 3,
     "conv:4:3:padding=1:groups=4:leaky_relu=0.2,conv:2:1,avgpool:3:stride=2:padding=1,flatten,2",
     [4, 7, 6], 1, "eval", "BCEWithLogitsLoss"),
    ("batchnorm_2d_and_1d_training_cross_entropy", 4,
     "conv:3:3,batchnorm,relu,maxpool:2:stride=1,globalavgpool,flatten,4,batchnorm,gelu,3",
     [2, 8, 7], 4, "train", "CrossEntropyLoss"),
    ("batchnorm_evaluation_running_statistics_batch_1_mse", 5,
     "conv:3:2:stride=2,batchnorm,sigmoid,flatten,5,batchnorm,2",
     [3, 7, 9], 1, "eval", "MSELoss"),
    ("maxpool_stride_beyond_kernel_padding_mse", 6,
     "maxpool:2:stride=3:padding=1,conv:2:2:stride=2:sigmoid,flatten,2",
     [3, 11, 10], 3, "eval", "MSELoss"),
    ("avgpool_odd_image_overlapping_maxpool_bce", 7,
     "avgpool:2,conv:3:2:padding=1,maxpool:3:stride=2,flatten,2",
     [1, 9, 9], 3, "eval", "BCEWithLogitsLoss"),
    ("batchnorm_1d_over_a_sequence_training_mse", 8,
     "batchnorm,flatten,4:tanh,2", [3, 5], 5, "train", "MSELoss"),
]


def run_case(name, seed, spec, input_shape, batch, mode, loss_kind):
    torch.manual_seed(seed)
    network = network_of(spec, input_shape)
    with torch.no_grad():
        for module in network:
            if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
                # Statistics and affine terms away from their starting values, so that a mix-up
                # of mean and variance, or of weight and bias, shows.
                module.running_mean.copy_(torch.randn(module.num_features))
                module.running_var.copy_(torch.rand(module.num_features) + 0.5)
                module.num_batches_tracked.fill_(3)
                module.weight.copy_(torch.rand(module.num_features) + 0.5)
                module.bias.copy_(torch.randn(module.num_features))
    network.train(mode == "train")
    state_before = tensors(network.state_dict())

    x = torch.randn(batch, *input_shape).requires_grad_()
    output = network(x)
    outputs = output.shape[1]
    target = make_target(loss_kind, batch, outputs)
    loss = getattr(nn, loss_kind)()(output, target)
    loss.backward()

    recorded_target = ([[float(c)] for c in target.tolist()] if loss_kind == "CrossEntropyLoss"
                       else target.tolist())
    return {
        "name": name,
        "seed": seed,
        "spec": spec,
        "input_shape": input_shape,
        "mode": mode,
        "loss": loss_kind,
        "layers": [str(m) for m in network],
        "state_dict": state_before,
        "input": x.detach().reshape(batch, -1).tolist(),
        "target": recorded_target,
        "output": output.detach().tolist(),
        "loss_value": loss.item(),
        "gradients": {k: p.grad.tolist() for k, p in network.named_parameters()},
        "dinput": x.grad.reshape(batch, -1).tolist(),
        "buffers": tensors({k: b for k, b in network.named_buffers()}),
    }


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
    os.makedirs(folder, exist_ok=True)
    cases = [run_case(*case) for case in CASES]
    path = os.path.join(folder, "torch_cnn.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/make_torch_cnn_fixtures.py", "torch": torch.__version__,
                   "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
