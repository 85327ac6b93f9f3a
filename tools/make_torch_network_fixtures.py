#!/usr/bin/python3
"""Writes tests/fixtures/torch_networks.json: small torch.nn.Sequential networks run in float64.

Usage: /usr/bin/python3 tools/make_torch_network_fixtures.py tests/fixtures
       (needs Debian's python3-torch and python3-numpy)

Each case is one network, one batch and one loss, recorded so that tests/test_torch_networks.cpp
can rebuild it in scratchnet and compare every number:
  layers      the modules in order: {"kind": class name, and its options}, e.g.
              {"kind": "Linear", "in_features": 3, "out_features": 4, "bias": true},
              {"kind": "LeakyReLU", "negative_slope": 0.2}, {"kind": "Softmax", "dim": 1}
  loss        "MSELoss", "BCEWithLogitsLoss", "CrossEntropyLoss" (each reduction='mean') or
              "SumSquaredError", the seed's ((output - target)**2).sum()
  parameters  every state_dict tensor by name ("0.weight" [out, in], "0.bias" [out]), nested lists
  input       [batch, inputs]
  target      [batch, outputs]; for CrossEntropyLoss [batch, 1] holding the class indices
  output      the network's output [batch, outputs]
  loss_value  the loss
  gradients   every parameter's .grad after loss.backward(), by state_dict name
  dinput      dloss/dinput [batch, inputs]

Together the cases cover every activation scratchnet has (Sigmoid, Tanh, ReLU, LeakyReLU at the
default and other slopes, GELU with approximate='none', Softmax(dim=1), Dropout in eval mode) and
every loss, with and without bias, 1 to 4 Linear layers, batches of 1, 5 and 8, and logits in the
hundreds. Seeds are fixed, so the file is the same on every run of the same torch. Doubles are
written by Python's repr (json), which round-trips them exactly. Nothing here imports project code.
"""
import json
import os
import sys

import torch
from torch import nn

torch.set_default_dtype(torch.float64)


def linear(inputs, outputs, bias=True):
    return nn.Linear(inputs, outputs, bias=bias)


# (name, seed, batch, loss, modules). Inputs are 2·randn so that the activations see more than
# their middle; "scale" multiplies every parameter to push logits into the hundreds.
CASES = [
    ("sigmoid_sse_no_bias", 1, 4, "SumSquaredError",
     lambda: [linear(2, 4, False), nn.Sigmoid(), linear(4, 1, False), nn.Sigmoid()]),
    ("tanh_mse", 2, 5, "MSELoss",
     lambda: [linear(4, 6), nn.Tanh(), linear(6, 3)]),
    ("relu_leaky_relu_gelu_cross_entropy", 3, 8, "CrossEntropyLoss",
     lambda: [linear(5, 8), nn.ReLU(), linear(8, 8), nn.LeakyReLU(), linear(8, 6),
              nn.GELU(approximate="none"), linear(6, 4)]),
    ("leaky_relu_slope_bce_no_bias", 4, 5, "BCEWithLogitsLoss",
     lambda: [linear(3, 5, False), nn.LeakyReLU(0.2), linear(5, 2, False)]),
    ("softmax_mse_batch_1", 5, 1, "MSELoss",
     lambda: [linear(6, 4), nn.Softmax(dim=1)]),
    ("gelu_dropout_cross_entropy", 6, 8, "CrossEntropyLoss",
     lambda: [linear(4, 7), nn.GELU(approximate="none"), nn.Dropout(0.5), linear(7, 3)]),
    ("tanh_softmax_sse_no_bias", 7, 5, "SumSquaredError",
     lambda: [linear(3, 3, False), nn.Tanh(), linear(3, 4, False), nn.Softmax(dim=1)]),
    ("linear_bce_soft_targets_batch_1", 8, 1, "BCEWithLogitsLoss",
     lambda: [linear(5, 2)]),
    ("relu_dropout_sigmoid_mse", 9, 8, "MSELoss",
     lambda: [linear(4, 6), nn.ReLU(), nn.Dropout(0.2), linear(6, 6, False), nn.Sigmoid(),
              linear(6, 2)]),
    ("gelu_tanh_leaky_relu_bce_depth_4", 10, 8, "BCEWithLogitsLoss",
     lambda: [linear(3, 5), nn.GELU(approximate="none"), linear(5, 5, False), nn.Tanh(),
              linear(5, 5), nn.LeakyReLU(1.5), linear(5, 3)]),
    ("relu_cross_entropy_no_bias_batch_1", 11, 1, "CrossEntropyLoss",
     lambda: [linear(4, 6, False), nn.ReLU(), linear(6, 5, False)]),
    ("sigmoid_softmax_mse", 12, 5, "MSELoss",
     lambda: [linear(2, 5), nn.Sigmoid(), linear(5, 3), nn.Softmax(dim=1)]),
]

# Networks whose parameters are scaled up so that the logits reach the hundreds: the stable
# forms of the losses must still agree with torch (and stay finite).
LARGE_CASES = [
    ("large_logits_cross_entropy", 13, 5, "CrossEntropyLoss", 300.0,
     lambda: [linear(4, 5)]),
    ("large_logits_bce", 14, 5, "BCEWithLogitsLoss", 300.0,
     lambda: [linear(4, 3)]),
]


def describe(module):
    """The module's kind and every option the C++ side needs to rebuild it."""
    kind = type(module).__name__
    if isinstance(module, nn.Linear):
        return {"kind": kind, "in_features": module.in_features,
                "out_features": module.out_features, "bias": module.bias is not None}
    if isinstance(module, nn.LeakyReLU):
        return {"kind": kind, "negative_slope": module.negative_slope}
    if isinstance(module, nn.GELU):
        return {"kind": kind, "approximate": module.approximate}
    if isinstance(module, nn.Softmax):
        return {"kind": kind, "dim": module.dim}
    if isinstance(module, nn.Dropout):
        return {"kind": kind, "p": module.p}
    if isinstance(module, (nn.Sigmoid, nn.Tanh, nn.ReLU)):
        return {"kind": kind}
    raise ValueError(f"no description for {kind}")


def loss_of(kind, output, target):
    if kind == "MSELoss":
        return nn.MSELoss()(output, target)
    if kind == "BCEWithLogitsLoss":
        return nn.BCEWithLogitsLoss()(output, target)
    if kind == "CrossEntropyLoss":
        return nn.CrossEntropyLoss()(output, target)
    if kind == "SumSquaredError":
        return ((output - target) ** 2).sum()
    raise ValueError(kind)


def make_target(kind, batch, outputs, name):
    if kind == "CrossEntropyLoss":
        return torch.randint(0, outputs, (batch,))
    if kind == "BCEWithLogitsLoss":
        if "soft_targets" in name:
            return torch.rand(batch, outputs)
        return (torch.rand(batch, outputs) < 0.5).double()
    return torch.randn(batch, outputs)


def run_case(name, seed, batch, loss_kind, make_modules, scale=1.0):
    torch.manual_seed(seed)
    network = nn.Sequential(*make_modules())
    with torch.no_grad():
        for parameter in network.parameters():
            parameter.mul_(scale)
    network.eval()  # Dropout is the identity, as scratchnet's layers start
    inputs = network[0].in_features
    outputs = [m for m in network if isinstance(m, nn.Linear)][-1].out_features

    x = (2 * torch.randn(batch, inputs)).requires_grad_()
    target = make_target(loss_kind, batch, outputs, name)
    output = network(x)
    loss = loss_of(loss_kind, output, target)
    loss.backward()

    if loss_kind == "CrossEntropyLoss":
        recorded_target = [[float(c)] for c in target.tolist()]
    else:
        recorded_target = target.tolist()
    return {
        "name": name,
        "seed": seed,
        "layers": [describe(m) for m in network],
        "loss": loss_kind,
        "parameters": {k: v.tolist() for k, v in network.state_dict().items()},
        "input": x.detach().tolist(),
        "target": recorded_target,
        "output": output.detach().tolist(),
        "loss_value": loss.item(),
        "gradients": {k: p.grad.tolist() for k, p in network.named_parameters()},
        "dinput": x.grad.tolist(),
    }


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
    os.makedirs(folder, exist_ok=True)
    cases = [run_case(*case) for case in CASES]
    cases += [run_case(name, seed, batch, loss, modules, scale)
              for name, seed, batch, loss, scale, modules in LARGE_CASES]
    path = os.path.join(folder, "torch_networks.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/make_torch_network_fixtures.py", "torch": torch.__version__,
                   "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
