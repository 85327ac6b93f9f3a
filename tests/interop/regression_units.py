#!/usr/bin/python3
"""A regression model's numbers are in the label's units wherever they leave scratchnet, checked
with numpy alone (no project code; files are read by torch_interop.py's hand-written reader):
the stored target normalization, `predict`'s values, and the MSE, MAE and R2 of
`train --test --json`, `eval --json` and `eval`.

Usage: /usr/bin/python3 tests/interop/regression_units.py PATH/TO/scratchnet   (CTest runs it)

The data are made here: 60 training and 20 test rows of three features and a target near 1000
with a spread of hundreds (y = 1000 + 300 x0 − 120 x1 + 40 x0 x2 + noise), so that a metric left
in standardized units would be off by a factor of about 10^4 (MSE) or 10^2 (MAE).

  1. train --val-split 0 --out: the file's "target_normalization" is the mean and population
     std of the training targets (numpy's mean and std, ddof 0).
  2. numpy applies the file's weights (Linear, ReLU, Linear) to the standardized test features
     and undoes the target scaling: `predict` writes the same values (f32: within 1e-5 relative;
     f64: within 1e-12).
  3. numpy's MSE, MAE and R2 of those predictions against the test targets equal train's
     --json "test" metrics (measured in the run's precision, on targets standardized in it:
     f32 within 1e-5), eval --json (which runs in f64) and eval's text line (6 digits).
  4. --normalize-target none stores no target normalization, and its predictions are the
     network's raw outputs.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_interop import read_safetensors  # noqa: E402  (the format read by hand, no package)


def make_rows(rng, count):
    x = rng.uniform(-1, 1, size=(count, 3))
    y = 1000 + 300 * x[:, 0] - 120 * x[:, 1] + 40 * x[:, 0] * x[:, 2] + rng.normal(0, 20, count)
    return x, y


def write_csv(path, x, y):
    with open(path, "w") as f:
        f.write("x0,x1,x2,target\n")
        for row, value in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + "," + repr(float(value)) + "\n")


def run(binary, *arguments):
    result = subprocess.run([binary, *arguments], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"scratchnet {' '.join(arguments)} failed: {result.stderr}")
    return result.stdout


def metrics(truth, predicted):
    error = predicted - truth
    return {"mse": np.mean(error ** 2), "mae": np.mean(np.abs(error)),
            "r2": 1 - np.sum(error ** 2) / np.sum((truth - truth.mean()) ** 2)}


def close(what, got, expected, relative):
    if not np.allclose(got, expected, rtol=relative, atol=0):
        sys.exit(f"{what}: got {got}, expected {expected} (relative tolerance {relative})")
    print(f"ok: {what}")


def main():
    binary = sys.argv[1]
    rng = np.random.default_rng(7)
    x_train, y_train = make_rows(rng, 60)
    x_test, y_test = make_rows(rng, 20)
    with tempfile.TemporaryDirectory() as folder:
        train_csv, test_csv = os.path.join(folder, "train.csv"), os.path.join(folder, "test.csv")
        write_csv(train_csv, x_train, y_train)
        write_csv(test_csv, x_test, y_test)
        for dtype, tolerance in (("f32", 1e-5), ("f64", 1e-12)):
            model = os.path.join(folder, f"model-{dtype}.safetensors")
            trained = json.loads(run(binary, "train", "--data", train_csv, "--label", "target",
                                     "--loss", "mse", "--layers", "8:relu,1", "--epochs", "60",
                                     "--batch", "8",
                                     "--val-split", "0", "--dtype", dtype, "--test", test_csv,
                                     "--json", "--out", model))
            metadata, tensors = read_safetensors(model)
            tensors = {name: value.astype(np.float64) for name, value in tensors.items()}
            target = json.loads(metadata["target_normalization"])
            close(f"{dtype}: stored target mean", target["mean"], y_train.mean(), 1e-15)
            close(f"{dtype}: stored target scale", target["scale"], y_train.std(), 1e-14)
            scaling = json.loads(metadata["normalization"])
            features = (x_test - np.array(scaling["mean"])) / np.array(scaling["scale"])
            hidden = np.maximum(features @ tensors["0.weight"].T + tensors["0.bias"], 0)
            output = hidden @ tensors["2.weight"].T + tensors["2.bias"]
            expected = output[:, 0] * target["scale"] + target["mean"]
            lines = run(binary, "predict", model, test_csv).split()
            predicted = np.array([float(v) for v in lines[1:]])
            close(f"{dtype}: predict against numpy", predicted, expected, tolerance)
            reference = metrics(y_test, expected)  # numpy in float64, as eval computes
            evaluated = json.loads(run(binary, "eval", model, test_csv, "--json"))
            text = run(binary, "eval", model, test_csv).split()
            printed = dict(zip(text[0::2], (float(v) for v in text[1::2])))
            for key, value in reference.items():
                close(f"{dtype}: train --json test {key}", trained["test"][key], value, tolerance)
                close(f"{dtype}: eval --json {key}", evaluated[key], value, 1e-9)
                close(f"{dtype}: eval {key}", printed[key], value, 1e-5)
            close(f"{dtype}: eval --json loss is the MSE", evaluated["loss"], reference["mse"], 1e-5)
            if reference["mse"] > 0.2 * np.var(y_test):
                sys.exit(f"{dtype}: the model did not learn (MSE {reference['mse']})")

        raw = os.path.join(folder, "raw.safetensors")
        run(binary, "train", "--data", train_csv, "--label", "target", "--loss", "mse",
            "--layers", "8:relu,1", "--epochs", "2", "--normalize-target", "none", "--out", raw)
        metadata, tensors = read_safetensors(raw)
        tensors = {name: value.astype(np.float64) for name, value in tensors.items()}
        if "target_normalization" in metadata:
            sys.exit("--normalize-target none stored a target normalization")
        scaling = json.loads(metadata["normalization"])
        features = (x_test - np.array(scaling["mean"])) / np.array(scaling["scale"])
        hidden = np.maximum(features @ tensors["0.weight"].T + tensors["0.bias"], 0)
        output = (hidden @ tensors["2.weight"].T + tensors["2.bias"])[:, 0]
        predicted = np.array([float(v) for v in run(binary, "predict", raw, test_csv).split()[1:]])
        close("none: predict is the raw output", predicted, output, 1e-5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
