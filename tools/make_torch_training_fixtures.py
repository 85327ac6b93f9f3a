#!/usr/bin/python3
"""Writes tests/fixtures/torch_training.json: whole training runs in PyTorch (float64), for the
training-loop test.

Usage: /usr/bin/python3 tools/make_torch_training_fixtures.py tests/fixtures
       (needs Debian's python3-torch and python3-numpy)

Each case trains a small torch.nn.Sequential the way scratchnet's Trainer does, written here
independently with torch:
  * every epoch the rows are visited in the order np.random.permutation(n) gives after one
    np.random.seed(seed) at the start (scratchnet's Random is numpy's legacy generator), or in
    their own order without shuffling; batches of `batch` rows, the last one partial;
  * per step: zero_grad, forward, loss (reduction='mean', or the seed's sum of squared errors),
    backward, clip_grad_norm_ (if any), param_group['lr'] = schedule(t) (if any), step.
Recorded: the spec, data, initial and final state_dict tensors, and per epoch the mean loss
(batch losses weighted by their rows) and the accuracy of the forward passes (argmax for
cross-entropy, logit > 0 for BCE; null for regression).
A case with an `input_shape` is a convolutional network (built by make_torch_cnn_fixtures.py's
independent translation of the spec), trained in training mode so that BatchNorm uses and
moves its batch statistics; its state_dicts hold the running statistics and the int64
num_batches_tracked too, and each input row is one image, flattened.
Nothing here imports project code.
"""
import json
import math
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_torch_cnn_fixtures import network_of  # noqa: E402

torch.set_default_dtype(torch.float64)

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid,
               "gelu": lambda: nn.GELU(approximate="none")}


def build(spec, inputs):
    modules = []
    for entry in spec.split(","):
        units, _, activation = entry.partition(":")
        modules.append(nn.Linear(inputs, int(units)))
        inputs = int(units)
        if activation:
            modules.append(ACTIVATIONS[activation]())
    return nn.Sequential(*modules)


# The schedules, as closed forms of the step index t (scratchnet's LrSchedule documents them).
def schedule_rate(schedule, t):
    if schedule is None:
        return None
    base, warmup = schedule["base_lr"], schedule.get("warmup_steps", 0)
    if t < warmup:
        return base * (t + 1) / warmup
    t -= warmup
    if schedule["kind"] == "step":
        return base * schedule["gamma"] ** (t // schedule["step_size"])
    if schedule["kind"] == "cosine":
        total, low = schedule["total_steps"], schedule["min_lr"]
        return low if t >= total else low + (base - low) * (1 + math.cos(math.pi * t / total)) / 2
    return base


def optimizer_for(name, parameters, options):
    return {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW,
            "RMSprop": torch.optim.RMSprop}[name](parameters, **options)


CASES = [
    dict(name="adam_cross_entropy", seed=7, spec="6:relu,3", inputs=4, rows=10, batch=4, epochs=3,
         loss="CrossEntropyLoss", optimizer="Adam", options=dict(lr=0.01), shuffle=True),
    dict(name="sgd_nesterov_clip_step_warmup_bce", seed=8, spec="5:tanh,2", inputs=3, rows=11,
         batch=3, epochs=2, loss="BCEWithLogitsLoss", optimizer="SGD",
         options=dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3), shuffle=True,
         clip_norm=0.5,
         schedule=dict(kind="step", base_lr=0.1, step_size=3, gamma=0.5, warmup_steps=2)),
    dict(name="rmsprop_centered_mse_cosine_unshuffled", seed=9, spec="4:gelu,2", inputs=3, rows=9,
         batch=4, epochs=2, loss="MSELoss", optimizer="RMSprop",
         options=dict(lr=0.01, centered=True, momentum=0.5), shuffle=False,
         schedule=dict(kind="cosine", base_lr=0.01, total_steps=5, min_lr=0.001)),
    dict(name="adamw_sigmoid_sse_full_batch", seed=10, spec="4:sigmoid,1:sigmoid", inputs=2, rows=4,
         batch=4, epochs=5, loss="SumSquaredError", optimizer="AdamW",
         options=dict(lr=0.05, weight_decay=0.1), shuffle=True),
    dict(name="cnn_batchnorm2d_sgd_momentum_cross_entropy", seed=11,
         spec="conv:3:3:padding=1,batchnorm,relu,maxpool:2,conv:4:2,relu,flatten,5:relu,3",
         input_shape=[1, 8, 8], inputs=64, rows=12, batch=5, epochs=2, loss="CrossEntropyLoss",
         optimizer="SGD", options=dict(lr=0.05, momentum=0.9), shuffle=True),
    # No bias before the BatchNorm1d: its gradient is 0 in exact arithmetic (the batch mean takes
    # it away), so Adam would step on rounding noise, which no two implementations share.
    dict(name="cnn_batchnorm1d_adam_avgpool_groups_bce", seed=12,
         spec="conv:4:3:stride=2:groups=2:tanh,avgpool:2:stride=1,flatten,6:nobias,batchnorm,relu,2",
         input_shape=[2, 7, 7], inputs=98, rows=10, batch=4, epochs=2, loss="BCEWithLogitsLoss",
         optimizer="Adam", options=dict(lr=0.01), shuffle=True),
]


def make_data(case):
    generator = torch.Generator().manual_seed(case["seed"])
    x = torch.randn(case["rows"], case["inputs"], generator=generator)
    outputs = int(case["spec"].split(",")[-1].split(":")[0])  # every case ends with a Linear
    if case["loss"] == "CrossEntropyLoss":
        y = torch.randint(0, outputs, (case["rows"], 1), generator=generator).double()
    elif case["loss"] == "BCEWithLogitsLoss":
        y = torch.randint(0, 2, (case["rows"], outputs), generator=generator).double()
    else:
        y = torch.rand(case["rows"], outputs, generator=generator)
    return x, y


def loss_of(name, output, target):
    if name == "CrossEntropyLoss":
        return nn.functional.cross_entropy(output, target[:, 0].long())
    if name == "BCEWithLogitsLoss":
        return nn.functional.binary_cross_entropy_with_logits(output, target)
    if name == "MSELoss":
        return nn.functional.mse_loss(output, target)
    return ((output - target) ** 2).sum()


def correct_of(name, output, target):
    if name == "CrossEntropyLoss":
        return int((output.argmax(dim=1) == target[:, 0].long()).sum()), output.shape[0]
    if name == "BCEWithLogitsLoss":
        return int(((output > 0).double() == (target >= 0.5).double()).sum()), output.numel()
    return 0, 0


def tensors(model):
    return {name: value.tolist() for name, value in model.state_dict().items()}


def train(case):
    torch.manual_seed(case["seed"])
    shape = case.get("input_shape")
    model = network_of(case["spec"], shape) if shape else build(case["spec"], case["inputs"])
    model.train()  # as scratchnet's Trainer puts the model every epoch
    initial = tensors(model)
    x, y = make_data(case)
    forward = (lambda rows: model(rows.reshape(-1, *shape))) if shape else model
    optimizer = optimizer_for(case["optimizer"], model.parameters(), case["options"])
    np.random.seed(case["seed"])
    rows, batch, step, epochs = case["rows"], case["batch"], 0, []
    for _ in range(case["epochs"]):
        order = np.random.permutation(rows) if case["shuffle"] else np.arange(rows)
        loss_sum, correct, predictions = 0.0, 0, 0
        for first in range(0, rows, batch):
            index = torch.from_numpy(order[first:first + batch])
            optimizer.zero_grad()
            output = forward(x[index])
            loss = loss_of(case["loss"], output, y[index])
            loss.backward()
            if case.get("clip_norm"):
                nn.utils.clip_grad_norm_(model.parameters(), case["clip_norm"])
            rate = schedule_rate(case.get("schedule"), step)
            if rate is not None:
                for group in optimizer.param_groups:
                    group["lr"] = rate
            optimizer.step()
            step += 1
            loss_sum += loss.item() * len(index)
            c, p = correct_of(case["loss"], output, y[index])
            correct, predictions = correct + c, predictions + p
        epochs.append({"loss": loss_sum / rows,
                       "accuracy": correct / predictions if predictions else None})
    return dict(case, input=x.tolist(), target=y.tolist(), initial=initial, final=tensors(model),
                epoch_metrics=epochs)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "torch_training.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/make_torch_training_fixtures.py", "torch": torch.__version__,
                   "cases": [train(case) for case in CASES]}, f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
