#!/usr/bin/python3
"""Writes the optimizer test fixture by running PyTorch 1.13's own optimizers.

Usage: /usr/bin/python3 tools/make_torch_optimizer_fixtures.py tests/fixtures
       (needs Debian's python3-torch and python3-numpy)

  torch_optimizers.json  for each optimizer configuration, in float64 and in float32, 20 steps
                         from the same parameters, each step
                           lr = schedule(t)                  set on the param group, t = 0, 1, …
                           grad = A·θ + b + sin(θ)           depends on θ, so errors compound
                           norm = clip_grad_norm_(…, max_norm)  clips on some steps, not all
                           optimizer.step()
                         and records the lr of every step, the norm clip_grad_norm_ returned at
                         every step, and the parameters after the last step.

θ is a [6, 4] weight and a [6] bias, flattened and concatenated as scratchnet's flat buffer lays
them out; the optimizers work on the two tensors, as torch.optim does. A, b and the initial θ
have three decimals, so the JSON holds them exactly. The schedules are the closed forms that
include/scratchnet/optimizers/lr_schedule.hpp documents, checked here against torch's StepLR and
CosineAnnealingLR. The C++ test (tests/test_optimizers.cpp) replays every case; CI needs no
torch. Nothing here imports project code.
"""
import json
import math
import os
import re
import sys

import numpy as np
import torch

STEPS = 20
SHAPES = [(6, 4), (6,)]
SIZE = sum(math.prod(shape) for shape in SHAPES)


def problem():
    """A, b and the initial θ of grad = A·θ + b + sin(θ), rounded to three decimals."""
    rng = np.random.RandomState(2024)
    a = np.round(0.5 * np.eye(SIZE) + 0.3 * rng.normal(size=(SIZE, SIZE)) / math.sqrt(SIZE), 3)
    b = np.round(rng.normal(size=SIZE), 3)
    theta = np.round(rng.uniform(-2, 2, size=SIZE), 3)
    return a, b, theta


# ---- the schedules, in the closed forms of lr_schedule.hpp
def schedule_lr(schedule, t):
    warmup = schedule["warmup_steps"]
    base = schedule["base_lr"]
    if t < warmup:
        return base * (t + 1) / warmup
    t -= warmup
    if schedule["kind"] == "constant":
        return base
    if schedule["kind"] == "step":
        return base * schedule["gamma"] ** (t // schedule["step_size"])
    total, low = schedule["total_steps"], schedule["min_lr"]
    if t >= total:
        return low
    return low + (base - low) * (1 + math.cos(math.pi * t / total)) / 2


def check_against_torch_schedulers(schedule):
    """The lrs after warm-up agree with torch's own scheduler over the same steps."""
    if schedule["kind"] == "constant":
        return
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=schedule["base_lr"])
    if schedule["kind"] == "step":
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, schedule["step_size"], schedule["gamma"])
        horizon = STEPS
    else:
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, schedule["total_steps"],
                                                               schedule["min_lr"])
        horizon = schedule["total_steps"] + 1  # torch's cosine rises again after T; ours holds
    for t in range(min(horizon, STEPS - schedule["warmup_steps"])):
        ours = schedule_lr(schedule, t + schedule["warmup_steps"])
        theirs = optimizer.param_groups[0]["lr"]
        assert abs(ours - theirs) <= 1e-15 * max(1.0, abs(theirs)), (schedule, t, ours, theirs)
        optimizer.step()
        scheduler.step()


def schedule(kind, base_lr, step_size=1, gamma=1.0, total_steps=1, min_lr=0.0, warmup_steps=0):
    return {"kind": kind, "base_lr": base_lr, "step_size": step_size, "gamma": gamma,
            "total_steps": total_steps, "min_lr": min_lr, "warmup_steps": warmup_steps}


# (name, torch.optim class, options beside lr, schedule, max_norm). The options are torch's
# keyword arguments; every schedule kind appears, and warm-up with each of them.
CONFIGURATIONS = [
    ("sgd", "SGD", {},
     schedule("constant", 0.05), 6.0),
    ("sgd_momentum_dampening", "SGD", {"momentum": 0.9, "dampening": 0.2},
     schedule("step", 0.05, step_size=5, gamma=0.5), 4.0),
    ("sgd_nesterov_weight_decay", "SGD", {"momentum": 0.8, "nesterov": True, "weight_decay": 0.01},
     schedule("cosine", 0.05, total_steps=20, min_lr=0.005), 4.0),
    ("adam", "Adam", {},
     schedule("cosine", 0.1, total_steps=10, min_lr=0.001, warmup_steps=5), 7.5),
    ("adam_weight_decay", "Adam", {"betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1},
     schedule("step", 0.1, step_size=4, gamma=0.7, warmup_steps=3), 7.5),
    ("adamw", "AdamW", {"weight_decay": 0.05},
     schedule("constant", 0.05, warmup_steps=4), 7.0),
    ("rmsprop", "RMSprop", {},
     schedule("step", 0.02, step_size=7, gamma=0.3), 7.5),
    ("rmsprop_centered_momentum_weight_decay", "RMSprop",
     {"alpha": 0.9, "centered": True, "momentum": 0.5, "weight_decay": 0.02},
     schedule("cosine", 0.01, total_steps=16, min_lr=0.0005, warmup_steps=2), 8.0),
]


def run(optimizer_name, options, lr_schedule, max_norm, dtype, a, b, theta):
    a, b, theta = (torch.tensor(x, dtype=torch.float64).to(dtype) for x in (a, b, theta))
    params = [p.reshape(shape).clone().requires_grad_(True)
              for p, shape in zip(theta.split([math.prod(s) for s in SHAPES]), SHAPES)]
    optimizer = getattr(torch.optim, optimizer_name)(params, lr=lr_schedule["base_lr"],
                                                     foreach=False, **options)
    lrs, norms = [], []
    for t in range(STEPS):
        lr = schedule_lr(lr_schedule, t)
        for group in optimizer.param_groups:
            group["lr"] = lr
        with torch.no_grad():
            flat = torch.cat([p.reshape(-1) for p in params])
            grad = a @ flat + b + torch.sin(flat)
            for p, g in zip(params, grad.split([p.numel() for p in params])):
                p.grad = g.reshape(p.shape).clone()
        norms.append(float(torch.nn.utils.clip_grad_norm_(params, max_norm)))
        lrs.append(lr)
        optimizer.step()
    clipped = sum(norm > max_norm for norm in norms)
    assert 0 < clipped < STEPS, (optimizer_name, options, dtype, norms)
    final = torch.cat([p.detach().reshape(-1) for p in params])
    return lrs, norms, final.double().tolist()


def cases(a, b, theta):
    result = []
    for name, optimizer_name, options, lr_schedule, max_norm in CONFIGURATIONS:
        check_against_torch_schedulers(lr_schedule)
        for dtype, dtype_name in [(torch.float64, "float64"), (torch.float32, "float32")]:
            lrs, norms, final = run(optimizer_name, options, lr_schedule, max_norm, dtype, a, b, theta)
            result.append({"name": name, "optimizer": optimizer_name, "dtype": dtype_name,
                           "options": {k: list(v) if isinstance(v, tuple) else v
                                       for k, v in options.items()},
                           "schedule": lr_schedule, "max_norm": max_norm,
                           "lrs": lrs, "norms": norms, "final": final})
    return result


def compact(text):
    """One line per innermost list, so the file reads as rows of numbers."""
    return re.sub(r"\[[^\[\]{}]*\]", lambda m: re.sub(r"\s+", " ", m.group(0))
                  .replace("[ ", "[").replace(" ]", "]"), text)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
    os.makedirs(folder, exist_ok=True)
    torch.set_num_threads(1)
    a, b, theta = problem()
    data = {"generator": "tools/make_torch_optimizer_fixtures.py", "torch": torch.__version__,
            "steps": STEPS, "shapes": [list(s) for s in SHAPES],
            "gradient": "A·θ + b + sin(θ)", "a": a.tolist(), "b": b.tolist(),
            "initial": theta.tolist(), "cases": cases(a, b, theta)}
    path = os.path.join(folder, "torch_optimizers.json")
    with open(path, "w") as f:
        f.write(compact(json.dumps(data, indent=1, ensure_ascii=False)))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
