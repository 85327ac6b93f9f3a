#!/usr/bin/python3
"""PyTorch reads scratchnet's model files, and scratchnet reads PyTorch's: both directions of
the safetensors interchange, with nothing on the Python side but json, numpy and torch (no
project code, and no safetensors package: the format is read and written here by hand, from its
specification).

Usage: /usr/bin/python3 tests/interop/torch_interop.py PATH/TO/scratchnet   (CTest runs it)

  scratchnet -> torch  train a model with scratchnet, load its file into torch.nn.Sequential with
                       load_state_dict(strict=True), apply the stored standardisation, and match
                       `scratchnet predict`'s probabilities within 1e-5.
  torch -> scratchnet  train a torch.nn.Sequential, save its state_dict as safetensors, and match
                       torch's accuracy with `scratchnet eval --layers SPEC`.
"""
import csv
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch
from torch import nn

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64}


def read_safetensors(path):
    """(metadata, {name: numpy array}) from a safetensors file, per the format's specification."""
    with open(path, "rb") as f:
        data = f.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_length])
    metadata = header.pop("__metadata__", {})
    buffer = data[8 + header_length:]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(buffer[begin:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
    return metadata, tensors


def write_safetensors(path, tensors):
    """Writes {name: numpy array} as safetensors, header padded with spaces to 8 bytes: float
    arrays as F32, int64 ones (BatchNorm's num_batches_tracked) as I64."""
    header, offset, blobs = {}, 0, []
    for name, array in tensors.items():
        dtype, layout = ("I64", "<i8") if array.dtype == np.int64 else ("F32", "<f4")
        blob = np.ascontiguousarray(array, dtype=layout).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def sequential(spec, inputs):
    """torch.nn.Sequential for a scratchnet layer spec (Dense entries and activations)."""
    activations = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}
    modules = []
    for entry in spec.split(","):
        units, _, activation = entry.partition(":")
        modules.append(nn.Linear(inputs, int(units)))
        inputs = int(units)
        if activation:
            modules.append(activations[activation]())
    return nn.Sequential(*modules)


def write_data(path, rows, seed):
    """A 3-class CSV with 4 features and text labels."""
    generator = np.random.default_rng(seed)
    z = generator.normal(size=(rows, 4))
    score = np.stack([z[:, 0] + z[:, 1], z[:, 2] * 1.5, z[:, 3]], axis=1)  # each class wins often
    labels = np.array(["alpha", "beta", "gamma"])[score.argmax(axis=1)]
    x = z * [1, 2, 0.5, 3] + [0, 1, -1, 5]  # features on different scales, as real ones are
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["f0", "f1", "f2", "f3", "label"])
        for features, label in zip(x, labels):
            out.writerow([repr(float(v)) for v in features] + [label])
    assert len(set(labels)) == 3
    return x, labels


def run(scratchnet, *arguments):
    result = subprocess.run([scratchnet, *arguments], capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"scratchnet {' '.join(arguments)} failed: {result.stderr}")
    return result.stdout


def scratchnet_to_torch(scratchnet, folder):
    data = os.path.join(folder, "train.csv")
    x, _ = write_data(data, 300, seed=1)
    model_path = os.path.join(folder, "scratchnet.safetensors")
    spec = "16:relu,8:tanh,3"
    run(scratchnet, "train", "--data", data, "--layers", spec, "--epochs", "5", "--quiet", "--out", model_path)
    run(scratchnet, "predict", model_path, data, "--out", os.path.join(folder, "predictions.csv"))

    metadata, tensors = read_safetensors(model_path)
    assert metadata["format"] == "pt", metadata
    model = sequential(metadata["spec"], int(metadata["inputs"]))
    model.load_state_dict({name: torch.from_numpy(array.copy()) for name, array in tensors.items()}, strict=True)
    scaling = json.loads(metadata["normalization"])
    features = (x - np.array(scaling["mean"])) / np.array(scaling["scale"])
    with torch.no_grad():
        probabilities = torch.softmax(model(torch.tensor(features, dtype=torch.float32)), dim=1).numpy()

    with open(os.path.join(folder, "predictions.csv")) as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["prediction"] + json.loads(metadata["classes"]), rows[0]
    ours = np.array([[float(v) for v in row[1:]] for row in rows[1:]])
    worst = np.abs(ours - probabilities).max()
    assert worst < 1e-5, f"probabilities differ by {worst}"
    print(f"scratchnet -> torch: {len(ours)} rows, largest probability difference {worst:.2e}")


def torch_to_scratchnet(scratchnet, folder):
    data = os.path.join(folder, "torch.csv")
    x, labels = write_data(data, 400, seed=2)
    classes = sorted(set(labels))
    y = torch.tensor([classes.index(label) for label in labels])
    spec = "12:relu,3"
    torch.manual_seed(0)
    model = sequential(spec, 4)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    features = torch.tensor(x, dtype=torch.float32)
    for _ in range(200):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(features), y).backward()
        optimizer.step()
    with torch.no_grad():
        logits = model(features)
        accuracy = (logits.argmax(dim=1) == y).double().mean().item()
        loss = nn.functional.cross_entropy(logits, y).item()
    model_path = os.path.join(folder, "torch.safetensors")
    write_safetensors(model_path, {name: value.numpy() for name, value in model.state_dict().items()})

    report = json.loads(run(scratchnet, "eval", model_path, data, "--layers", spec, "--json"))
    assert report["accuracy"] == accuracy, (report["accuracy"], accuracy)
    assert abs(report["loss"] - loss) < 1e-5, (report["loss"], loss)
    print(f"torch -> scratchnet: accuracy {accuracy} in both, loss {report['loss']:.6f} vs torch {loss:.6f}")


def run_checks(checks):
    """Runs each check(scratchnet, folder) in one temporary folder; exits 1 if any failed."""
    scratchnet = sys.argv[1]
    passed = failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for check in checks:
            try:
                check(scratchnet, folder)
                passed += 1
            except AssertionError as error:
                print(f"FAILED {check.__name__}: {error}")
                failed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    run_checks((scratchnet_to_torch, torch_to_scratchnet))
