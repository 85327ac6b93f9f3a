#!/usr/bin/python3
"""Writes the Stage 1 test fixtures by running the seed notebook's own numpy code.

Usage: python3 tools/make_xor_fixtures.py tests/fixtures      (needs Debian's python3-numpy)

  xor_numpy.json     the seed's NeuralNetwork trained for several seeds and settings: initial and
                     final weights, the last output, its sum of squared errors, and the text
                     print(nn.output) shows
  numpy_random.json  np.random.rand, randn, permutation and 64-bit randint after
                     np.random.seed(n), for the generator test
  numpy_print.json   str() of arrays chosen to exercise numpy's float layout rules

The C++ tests read these files; CI needs no numpy. Nothing here imports project code.
"""
import json
import os
import sys

import numpy as np


# ---- the seed notebook's code (stage1-xor-numpy.txt), unchanged but for two generalisations
# ---- that its defaults reduce to: the hidden size (4) and the step size (1, a plain `+=`).
def sigmoid(x):
    return 1.0 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return x * (1.0 - x)


class NeuralNetwork:
    def __init__(self, x, y, hidden=4, lr=1.0):
        self.input = x
        self.weights1 = np.random.rand(self.input.shape[1], hidden)
        self.weights2 = np.random.rand(hidden, 1)
        self.y = y
        self.output = np.zeros(self.y.shape)
        self.lr = lr

    def feedforward(self):
        self.layer1 = sigmoid(np.dot(self.input, self.weights1))
        self.output = sigmoid(np.dot(self.layer1, self.weights2))

    def backprop(self):
        d_weights2 = np.dot(self.layer1.T, (2 * (self.y - self.output) * sigmoid_derivative(self.output)))
        d_weights1 = np.dot(self.input.T, (np.dot(2 * (self.y - self.output) * sigmoid_derivative(self.output),
                                                  self.weights2.T) * sigmoid_derivative(self.layer1)))
        if self.lr == 1.0:  # the seed's own update, bit for bit
            self.weights1 += d_weights1
            self.weights2 += d_weights2
        else:
            self.weights1 += self.lr * d_weights1
            self.weights2 += self.lr * d_weights2
# ---- end of the seed's code


X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
Y = np.array([[0], [1], [1], [0]])

# (seed, iterations, hidden, lr): the notebook's defaults for several seeds, then variations.
XOR_CASES = [
    (0, 1500, 4, 1.0),
    (1, 1500, 4, 1.0),
    (42, 1500, 4, 1.0),
    (2**32 - 1, 1500, 4, 1.0),
    (7, 1, 4, 1.0),
    (3, 300, 8, 0.5),
    (5, 2000, 1, 2.0),
    (11, 5000, 16, 1.0),
]


def xor_case(seed, iterations, hidden, lr):
    np.random.seed(seed)
    nn = NeuralNetwork(X, Y, hidden, lr)
    initial1, initial2 = nn.weights1.copy(), nn.weights2.copy()
    for _ in range(iterations):
        nn.feedforward()
        nn.backprop()
    return {
        "seed": seed, "iterations": iterations, "hidden": hidden, "lr": lr,
        "initial": {"weights1": initial1.tolist(), "weights2": initial2.tolist()},
        "final": {"weights1": nn.weights1.tolist(), "weights2": nn.weights2.tolist()},
        "output": nn.output.tolist(),
        "loss": float(((Y - nn.output) ** 2).sum()),
        "printed": str(nn.output),
    }


def random_cases():
    cases = []
    for seed in [0, 1, 42, 123456789, 2**32 - 1]:
        np.random.seed(seed)
        rand = np.random.rand(700).tolist()  # past one 624-word twist
        np.random.seed(seed)
        randn = np.random.randn(301).tolist()  # odd: the last value leaves a spare behind
        np.random.seed(seed)
        permutation = np.random.permutation(1000).tolist()
        np.random.seed(seed)
        at_most_2_40 = [int(v) for v in np.random.randint(0, 2**40 + 1, size=50, dtype=np.int64)]
        cases.append({"seed": seed, "rand": rand, "randn": randn, "permutation": permutation,
                      "at_most_2_40": at_most_2_40})
    return cases


# Arrays whose str() exercises each rule: padding to a common width, trailing-zero trimming,
# rounding at 8 digits, integers ("1."), scientific notation, negatives, nan and inf.
PRINT_CASES = [
    [[0.03861796123], [0.96425342], [0.96514691], [0.03352662]],
    [[0.0154385], [0.9673700712345], [0.5]],
    [[1.0], [0.5]],
    [[0.100000001234], [0.25]],
    [[0.0], [0.123456789012]],
    [[0.999999999], [0.5]],
    [[1e-5], [0.5]],
    [[1.2345678912e-5], [0.99]],
    [[1e-300], [5.0]],
    [[0.001], [2.0]],
    [[123456789.0], [1.5]],
    [[-0.5], [0.25]],
    [[-1.5e-7], [3.0]],
    [[float("nan")], [0.5]],
    [[float("inf")], [0.5]],
    [[float("-inf")], [1e-5]],
    [[float("nan")], [float("nan")]],
    [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]],
    [[0.5, 0.99999, 1e-3, 42.0]],
]


def print_cases():
    return [{"values": [[repr(v) for v in row] for row in rows], "text": str(np.array(rows))}
            for rows in PRINT_CASES]


def write(folder, name, data):
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        json.dump({"generator": "tools/make_xor_fixtures.py", "numpy": np.__version__, "cases": data},
                  f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
    os.makedirs(folder, exist_ok=True)
    with np.errstate(over="ignore"):
        write(folder, "xor_numpy.json", [xor_case(*case) for case in XOR_CASES])
    write(folder, "numpy_random.json", random_cases())
    write(folder, "numpy_print.json", print_cases())


if __name__ == "__main__":
    main()
