#!/usr/bin/python3
"""The recipes of docs/model-format.md, run exactly as the document writes them: its Python code
is taken out of the Markdown, not copied here, so a recipe that drifts from scratchnet fails.

Usage: /usr/bin/python3 tests/interop/model_format_recipes.py PATH/TO/scratchnet PATH/TO/docs/model-format.md

  scratchnet -> torch  the script under "A scratchnet model in PyTorch", run in a folder holding
                       model.safetensors and data.csv, prints what `scratchnet predict` prints
                       (same classes, probabilities within 1e-5) for a model trained on a table
                       with gaps (--missing median) read from a file whose columns are in another
                       order, for a regression model with its standardised target, and for one
                       trained on IDX images read from a CSV file of raw pixels.
  torch -> scratchnet  the snippet under "A PyTorch model in scratchnet", given a torch network
                       trained on standardised rows, writes a model file on which
                       `scratchnet predict`, fed the raw rows, gives torch's probabilities.
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch
from torch import nn

SCRATCHNET, DOCUMENT = os.path.abspath(sys.argv[1]), sys.argv[2]


def section_code(title):
    """The ```python blocks of the section `## title`, in order."""
    text = open(DOCUMENT, encoding="utf-8").read()
    start = text.index("## " + title + "\n")
    end = text.find("\n## ", start + 1)
    return re.findall(r"```python\n(.*?)```", text[start:end if end >= 0 else None], re.S)


def run(*args, cwd=None):
    done = subprocess.run(list(args), capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{done.stderr}")
    return done.stdout


def parse_predictions(text):
    lines = text.strip().split("\n")
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    return header, [row[0] for row in rows], np.array([[float(v) for v in row[1:]] for row in rows])


def same_values(ours, theirs, what):
    """A regression model's predictions, one number per row, within 1e-5 relative."""
    ours, theirs = ours.strip().split("\n"), theirs.strip().split("\n")
    assert ours[0] == theirs[0] == "prediction", f"{what}: headers {ours[0]} and {theirs[0]}"
    a, b = np.array([float(v) for v in ours[1:]]), np.array([float(v) for v in theirs[1:]])
    difference = (np.abs(a - b) / np.abs(b)).max()
    assert a.shape == b.shape and difference <= 1e-5, f"{what}: values differ by {difference}"
    print(f"{what}: {len(a)} rows, values within {difference:.2e} relative")


def same_predictions(ours, theirs, what):
    header, classes, numbers = parse_predictions(ours)
    their_header, their_classes, their_numbers = parse_predictions(theirs)
    assert header == their_header, f"{what}: headers {header} and {their_header}"
    assert classes == their_classes, f"{what}: predicted classes differ"
    difference = np.abs(numbers - their_numbers).max()
    assert difference <= 1e-5, f"{what}: probabilities differ by {difference}"
    print(f"{what}: {len(classes)} rows, same classes, probabilities within {difference:.2e}")


def table_with_gaps(folder):
    """A training file with gaps, and a test file with gaps whose columns are in another order."""
    rng = np.random.default_rng(7)
    names = ["alcohol", "ash", "hue", "proline"]
    def rows(count):
        x = rng.normal([13, 2.4, 1.0, 750], [0.8, 0.3, 0.2, 300], size=(count, 4))
        label = np.where(x[:, 0] + x[:, 3] / 300 > 15.5, "red", "white")
        cells = [[repr(float(v)) for v in row] for row in x]
        for row in cells:
            for c in range(4):
                if rng.random() < 0.08:
                    row[c] = rng.choice(["", "NA", "nan", "?"])
        return cells, label
    cells, label = rows(200)
    with open(os.path.join(folder, "train.csv"), "w") as f:
        f.write(",".join(names) + ",colour\n")
        f.writelines(",".join(row) + f",{y}\n" for row, y in zip(cells, label))
    cells, label = rows(60)
    order = [2, 0, 3, 1]
    with open(os.path.join(folder, "data.csv"), "w") as f:
        f.write("colour," + ",".join(names[c] for c in order) + "\n")
        f.writelines(f"{y}," + ",".join(row[c] for c in order) + "\n" for row, y in zip(cells, label))


def idx(path, dims, values):
    with open(path, "wb") as f:
        f.write(bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims))
        f.write(np.asarray(values, dtype=np.uint8).tobytes())


def images(folder):
    """IDX images (3 classes of 4x4 pixels) to train on, and the same pixels, raw, as CSV."""
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, size=(90, 16))
    labels = pixels[:, :4].mean(axis=1) // 86
    idx(os.path.join(folder, "images.idx"), [90, 4, 4], pixels.flatten())
    idx(os.path.join(folder, "labels.idx"), [90], labels.astype(int))
    with open(os.path.join(folder, "data.csv"), "w") as f:
        f.writelines(",".join(str(p) for p in row) + "\n" for row in pixels)


def scratchnet_to_torch():
    script = section_code("A scratchnet model in PyTorch")[0]
    with tempfile.TemporaryDirectory() as folder:
        table_with_gaps(folder)
        run(SCRATCHNET, "train", "--data", os.path.join(folder, "train.csv"), "--layers",
            "8:relu,2", "--missing", "median", "--epochs", "20", "--quiet", "--out",
            os.path.join(folder, "model.safetensors"))
        same_predictions(run(sys.executable, "-c", script, cwd=folder),
                         run(SCRATCHNET, "predict", "model.safetensors", "data.csv", cwd=folder),
                         "table with gaps, columns reordered")
    with tempfile.TemporaryDirectory() as folder:
        rng = np.random.default_rng(5)
        x = rng.normal(size=(150, 3))
        y = 200 + 40 * x[:, 0] - 25 * x[:, 1] * x[:, 2] + rng.normal(scale=5, size=150)
        for name, rows in (("train.csv", slice(0, 120)), ("data.csv", slice(120, 150))):
            with open(os.path.join(folder, name), "w") as f:
                f.write("p,q,r,level\n")
                f.writelines(",".join(repr(float(v)) for v in row) + f",{t!r}\n"
                             for row, t in zip(x[rows], y[rows]))
        run(SCRATCHNET, "train", "--data", os.path.join(folder, "train.csv"), "--loss", "mse",
            "--layers", "16:relu,1", "--epochs", "30", "--quiet", "--out",
            os.path.join(folder, "model.safetensors"))
        same_values(run(sys.executable, "-c", script, cwd=folder),
                    run(SCRATCHNET, "predict", "model.safetensors", "data.csv", cwd=folder),
                    "regression with a standardised target")
    with tempfile.TemporaryDirectory() as folder:
        images(folder)
        run(SCRATCHNET, "train", "--data", os.path.join(folder, "images.idx"), "--labels",
            os.path.join(folder, "labels.idx"), "--layers", "16:relu,3", "--epochs", "20",
            "--quiet", "--out", os.path.join(folder, "model.safetensors"))
        same_predictions(run(sys.executable, "-c", script, cwd=folder),
                         run(SCRATCHNET, "predict", "model.safetensors", "data.csv", cwd=folder),
                         "images as raw pixels in CSV")


def torch_to_scratchnet():
    saving, metadata_snippet = section_code("A PyTorch model in scratchnet")
    rng = np.random.default_rng(11)
    feature_names = ["height", "weight", "age"]
    class_names = ["a", "b", "c"]
    raw = rng.normal([170, 70, 40], [10, 15, 12], size=(120, 3))
    label = ((raw[:, 0] - 170) / 10 + (raw[:, 1] - 70) / 15 > 0).astype(int) + (raw[:, 2] > 50)
    mean, scale = raw.mean(axis=0), raw.std(axis=0)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 3))
    x = torch.tensor((raw - mean) / scale, dtype=torch.float32)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(200):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), torch.tensor(label)).backward()
        optimizer.step()
    with torch.no_grad():
        probabilities = torch.softmax(model(x).double(), dim=1)
    with tempfile.TemporaryDirectory() as folder:
        namespace = {"model": model, "feature_names": feature_names, "class_names": class_names,
                     "mean": mean, "scale": scale}
        previous = os.getcwd()
        os.chdir(folder)
        try:
            exec(saving, namespace)
            exec(metadata_snippet, namespace)
        finally:
            os.chdir(previous)
        with open(os.path.join(folder, "data.csv"), "w") as f:
            f.write("age,species,weight,height\n")  # columns in another order, found by name
            f.writelines(f"{r[2]!r},{class_names[y]},{r[1]!r},{r[0]!r}\n"
                         for r, y in zip(raw, label))
        theirs = "prediction," + ",".join(class_names) + "\n" + "".join(
            class_names[int(p.argmax())] + "," + ",".join(repr(float(v)) for v in p) + "\n"
            for p in probabilities)
        same_predictions(run(SCRATCHNET, "predict", "model.safetensors", "data.csv", cwd=folder),
                         theirs, "torch model with its standardisation")


scratchnet_to_torch()
torch_to_scratchnet()
