#!/usr/bin/python3
"""Regression with scratchnet's defaults against the same network in PyTorch, on scikit-learn's
diabetes data (442 rows, 10 features, a disease progression score of 25..346).

Usage: /usr/bin/python3 tests/interop/diabetes_reference.py [PATH/TO/scratchnet]

The split is scikit-learn's train_test_split(test_size=92, random_state=42): 350 training and 92
test rows, written as CSV. PyTorch trains nn.Sequential(Linear(10, 64), ReLU(), Linear(64, 1))
the way scratchnet's defaults do: the features and the target standardized by the training
rows' mean and population std (10% of the rows held out for validation and not trained on, as
--val-split 0.1 does), Adam with torch's defaults (lr 1e-3), batches of 64 in a fresh random
order every epoch, MSE loss; its test R2 is measured in the label's units. It does so over
TORCH_SEEDS seeds, for the default 10 epochs and for 100.

Without a path it prints PyTorch's R2 only (the reference). With one it also runs
  scratchnet train --data train.csv --label progression --loss mse --layers 64:relu,1
                   [--epochs 100] --seed S --test test.csv --json
(every other setting its default) over SCRATCHNET_SEEDS seeds, and fails unless the mean of its
test R2 is at least PyTorch's mean less MARGIN(σ). The margin is three standard errors of the
difference of the two means, from the spread σ of PyTorch's per-seed R2 (one run's R2 moves with
its seed by about σ; scratchnet's and PyTorch's random streams differ, so seeds do not pair),
and at least 0.03. Measured: 10 epochs, PyTorch 0.41 ± 0.037; 100 epochs, 0.51 ± 0.012.
"""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from torch import nn

TORCH_SEEDS = range(10)
SCRATCHNET_SEEDS = range(5)
BATCH = 64
VAL_SPLIT = 0.1
HEADER = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"]


def split():
    data = load_diabetes(scaled=False)
    x_train, x_test, y_train, y_test = train_test_split(data.data, data.target, test_size=92,
                                                        random_state=42)
    return x_train, x_test, y_train, y_test


def r2_score(truth, predicted):
    return 1 - np.sum((predicted - truth) ** 2) / np.sum((truth - truth.mean()) ** 2)


def torch_r2(x_train, x_test, y_train, y_test, seed, epochs):
    torch.manual_seed(seed)
    held_out = int(math.floor(VAL_SPLIT * len(y_train)))
    fit = np.random.default_rng(seed).permutation(len(y_train))[held_out:]
    x_mean, x_std = x_train[fit].mean(0), x_train[fit].std(0)
    y_mean, y_std = y_train[fit].mean(), y_train[fit].std()
    features = torch.tensor((x_train[fit] - x_mean) / x_std, dtype=torch.float32)
    targets = torch.tensor((y_train[fit] - y_mean) / y_std, dtype=torch.float32)[:, None]
    net = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 1))
    optimizer = torch.optim.Adam(net.parameters())
    for _ in range(epochs):
        order = torch.randperm(len(fit))
        for first in range(0, len(fit), BATCH):
            rows = order[first:first + BATCH]
            optimizer.zero_grad()
            nn.functional.mse_loss(net(features[rows]), targets[rows]).backward()
            optimizer.step()
    with torch.no_grad():
        output = net(torch.tensor((x_test - x_mean) / x_std, dtype=torch.float32)).numpy()[:, 0]
    return r2_score(y_test, output * y_std + y_mean)


def write_csv(path, features, targets):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for row, target in zip(features, targets):
            writer.writerow([repr(float(v)) for v in row] + [repr(float(target))])


def scratchnet_r2(binary, folder, seed, epochs):
    command = [binary, "train", "--data", os.path.join(folder, "train.csv"), "--label",
               "progression", "--loss", "mse", "--layers", "64:relu,1", "--seed", str(seed),
               "--test", os.path.join(folder, "test.csv"), "--json"]
    if epochs != 10:
        command += ["--epochs", str(epochs)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["test"]["r2"]


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else None
    x_train, x_test, y_train, y_test = split()
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        write_csv(os.path.join(folder, "train.csv"), x_train, y_train)
        write_csv(os.path.join(folder, "test.csv"), x_test, y_test)
        for epochs in (10, 100):
            reference = np.array([torch_r2(x_train, x_test, y_train, y_test, seed, epochs)
                                  for seed in TORCH_SEEDS])
            mean, spread = reference.mean(), reference.std(ddof=1)
            print(f"{epochs} epochs: PyTorch test R2 {mean:.4f} ± {spread:.4f} "
                  f"(min {reference.min():.4f}, max {reference.max():.4f}, "
                  f"{len(reference)} seeds)")
            if binary is None:
                continue
            ours = np.array([scratchnet_r2(binary, folder, seed, epochs)
                             for seed in SCRATCHNET_SEEDS])
            margin = max(0.03, 3 * spread * math.sqrt(1 / len(ours) + 1 / len(reference)))
            verdict = "ok" if ours.mean() >= mean - margin else "FAIL"
            failed = failed or verdict != "ok"
            print(f"{epochs} epochs: scratchnet test R2 {ours.mean():.4f} ± {ours.std(ddof=1):.4f} "
                  f"({len(ours)} seeds: {', '.join(f'{v:.4f}' for v in ours)}); must be at least "
                  f"{mean - margin:.4f} (PyTorch's mean less {margin:.4f}): {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
