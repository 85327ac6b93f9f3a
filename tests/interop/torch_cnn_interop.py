#!/usr/bin/python3
"""Convolutional networks with BatchNorm between scratchnet and PyTorch, both directions, through
safetensors files (read and written here by hand from the format's specification; no project
code but the spec-to-torch translation of tools/make_torch_cnn_fixtures.py, itself independent
of scratchnet).

Usage: /usr/bin/python3 tests/interop/torch_cnn_interop.py PATH/TO/scratchnet   (CTest runs it)

  scratchnet -> torch  train a conv + BatchNorm network with scratchnet on a CSV of 6x6 images
                       (--input-shape), load its file into torch.nn.Sequential with
                       load_state_dict(strict=True) (running statistics and the int64
                       num_batches_tracked included), and match `scratchnet predict`'s
                       probabilities within 1e-5 in evaluation mode.
  torch -> scratchnet  train the network in torch (so the running statistics move), save its
                       state_dict, and match torch's accuracy and loss with `scratchnet eval
                       --layers SPEC --input-shape 1,6,6`; then start `scratchnet train --init`
                       from the same file and check the model it writes keeps torch's tensors'
                       names and shapes.
"""
import csv
import json
import os
import subprocess
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
sys.path.insert(0, HERE)
from make_torch_cnn_fixtures import network_of  # noqa: E402
from torch_interop import read_safetensors, run, run_checks, write_safetensors  # noqa: E402

SPEC = "conv:4:3:padding=1,batchnorm,relu,maxpool:2,conv:6:2,batchnorm,relu,flatten,8:relu,3"
SHAPE = [1, 6, 6]


def write_images(path, rows, seed):
    """6x6 images in [0, 1], one of three bright bands (top, middle, bottom rows), as a CSV."""
    generator = np.random.default_rng(seed)
    labels = generator.integers(0, 3, size=rows)
    images = generator.uniform(0, 0.5, size=(rows, 6, 6))
    for image, label in zip(images, labels):
        image[2 * label:2 * label + 2, :] += 0.5
    x = images.reshape(rows, -1)
    names = np.array(["top", "middle", "bottom"])
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow([f"p{i}" for i in range(36)] + ["band"])
        for features, label in zip(x, labels):
            out.writerow([repr(float(v)) for v in features] + [names[label]])
    return x, names[labels]


def as_torch(tensors):
    return {name: torch.from_numpy(array.copy()).reshape(array.shape) for name, array in tensors.items()}


def scratchnet_to_torch(scratchnet, folder):
    data = os.path.join(folder, "images.csv")
    x, _ = write_images(data, 240, seed=1)
    model_path = os.path.join(folder, "scratchnet.safetensors")
    run(scratchnet, "train", "--data", data, "--input-shape", "1,6,6", "--layers", SPEC, "--epochs", "4",
        "--quiet", "--out", model_path)
    run(scratchnet, "predict", model_path, data, "--out", os.path.join(folder, "predictions.csv"))

    metadata, tensors = read_safetensors(model_path)
    assert json.loads(metadata["input_shape"]) == SHAPE, metadata["input_shape"]
    counts = {name: int(t) for name, t in tensors.items() if t.dtype == np.int64}
    assert counts and all(c > 0 for c in counts.values()), counts
    model = network_of(SPEC, SHAPE)
    model.load_state_dict(as_torch(tensors), strict=True)
    model.float().eval()
    scaling = json.loads(metadata["normalization"])
    features = (x - np.array(scaling["mean"])) / np.array(scaling["scale"])
    with torch.no_grad():
        inputs = torch.tensor(features, dtype=torch.float32).reshape(-1, *SHAPE)
        probabilities = torch.softmax(model(inputs), dim=1).numpy()

    with open(os.path.join(folder, "predictions.csv")) as f:
        rows = list(csv.reader(f))
    ours = np.array([[float(v) for v in row[1:]] for row in rows[1:]])
    worst = np.abs(ours - probabilities).max()
    assert worst < 1e-5, f"probabilities differ by {worst}"
    print(f"scratchnet -> torch: {len(ours)} rows, largest probability difference {worst:.2e}, "
          f"num_batches_tracked {sorted(counts.values())}")


def torch_to_scratchnet(scratchnet, folder):
    data = os.path.join(folder, "torch.csv")
    x, labels = write_images(data, 300, seed=2)
    classes = sorted(set(labels))
    y = torch.tensor([classes.index(label) for label in labels])
    torch.manual_seed(0)
    model = network_of(SPEC, SHAPE).float()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    inputs = torch.tensor(x, dtype=torch.float32).reshape(-1, *SHAPE)
    model.train()
    for step in range(12):  # a few steps: a loss well away from 0, so that it compares
        batch = slice(step * 50 % 300, step * 50 % 300 + 50)
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(inputs[batch]), y[batch]).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        logits = model(inputs)
        accuracy = (logits.argmax(dim=1) == y).double().mean().item()
        loss = nn.functional.cross_entropy(logits, y).item()
    model_path = os.path.join(folder, "torch.safetensors")
    state = {name: value.numpy() for name, value in model.state_dict().items()}
    write_safetensors(model_path, state)

    report = json.loads(run(scratchnet, "eval", model_path, data, "--layers", SPEC, "--input-shape", "1,6,6",
                            "--json"))
    assert report["accuracy"] == accuracy, (report["accuracy"], accuracy)
    assert abs(report["loss"] - loss) < 1e-5, (report["loss"], loss)
    # Without --input-shape the file cannot say its images' shape: one line says what to give.
    refused = subprocess.run([scratchnet, "eval", model_path, data, "--layers", SPEC], capture_output=True, text=True)
    assert refused.returncode == 1, refused
    assert refused.stderr.splitlines()[0] == (
        f"scratchnet: error: {model_path}: the network '{SPEC}' takes images, and the file (it has no "
        "scratchnet metadata) does not say their shape; give it with --input-shape C,H,W"), refused.stderr
    print(f"torch -> scratchnet: accuracy {accuracy} in both, loss {report['loss']:.6f} vs torch {loss:.6f}")

    # --init: training starts from torch's tensors, buffers included, and keeps their layout.
    started = os.path.join(folder, "started.safetensors")
    run(scratchnet, "train", "--init", model_path, "--layers", SPEC, "--data", data, "--input-shape", "1,6,6",
        "--normalize", "none", "--epochs", "1", "--lr", "1e-30", "--optimizer", "sgd", "--quiet", "--out",
        started)
    _, after = read_safetensors(started)
    assert sorted(after) == sorted(state), (sorted(after), sorted(state))
    for name, value in state.items():
        assert after[name].shape == value.shape, (name, after[name].shape, value.shape)
        if "running" not in name and value.dtype != np.int64:  # lr 1e-30: the parameters stay
            assert np.allclose(after[name], value, rtol=1e-6, atol=1e-20), name
    batches = -(-270 // 64)  # 90% of the rows for training, batches of 64
    for name in (n for n in state if n.endswith("num_batches_tracked")):
        assert int(after[name]) == int(state[name]) + batches, (name, int(after[name]), int(state[name]))
    print(f"torch -> scratchnet --init: {len(state)} tensors kept, counts moved on by {batches} batches")


if __name__ == "__main__":
    run_checks((scratchnet_to_torch, torch_to_scratchnet))
