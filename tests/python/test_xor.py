"""scratchnet.xor against the seed notebook's numpy code: the committed fixtures, which
tools/make_xor_fixtures.py wrote by running that code, and the code itself run here."""
import json
import os
import sys

import numpy as np
import pytest

import scratchnet

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import make_xor_fixtures as seed  # noqa: E402  (the notebook's NeuralNetwork, unchanged)

with open(os.path.join(ROOT, "tests", "fixtures", "xor_numpy.json")) as fixture_file:
    CASES = json.load(fixture_file)["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"seed{c['seed']}-it{c['iterations']}-h{c['hidden']}")
def test_equals_the_numpy_seed(case):
    run = scratchnet.xor(seed=case["seed"], iterations=case["iterations"], hidden=case["hidden"],
                         lr=case["lr"])
    np.testing.assert_allclose(run.initial_weights1, case["initial"]["weights1"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.initial_weights2, case["initial"]["weights2"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.weights1, case["final"]["weights1"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.weights2, case["final"]["weights2"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.output, case["output"], rtol=0, atol=1e-12)
    assert run.loss == pytest.approx(case["loss"], rel=0, abs=1e-12)


def test_equals_the_seed_code_run_now():
    np.random.seed(0)
    network = seed.NeuralNetwork(seed.X, seed.Y)
    for _ in range(1500):
        network.feedforward()
        network.backprop()
    run = scratchnet.xor()
    np.testing.assert_allclose(run.weights1, network.weights1, rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.output, network.output, rtol=0, atol=1e-12)


def test_arrays_are_numpy_float64_in_the_notebooks_shapes():
    run = scratchnet.xor(hidden=3, iterations=2)
    assert run.weights1.shape == (2, 3) and run.weights2.shape == (3, 1)
    assert run.output.shape == (4, 1)
    for array in (run.initial_weights1, run.weights1, run.output):
        assert array.dtype == np.float64
        assert array.flags.c_contiguous and array.flags.owndata is False  # numpy over C++'s buffer
        assert array.base is not None
    run.weights1[0, 0] = 5.0  # writable, and each array its own
    assert run.initial_weights1[0, 0] != 5.0


@pytest.mark.parametrize("arguments, message", [
    ({"seed": -1}, "seed must be from 0 to 4294967295"),
    ({"seed": 2**32}, "seed must be from 0 to 4294967295"),
    ({"hidden": 0}, "hidden must be from 1 to 1000000, got 0"),
    ({"iterations": 0}, "iterations must be from 1 to 1000000000, got 0"),
    ({"lr": float("nan")}, "lr must be a finite number >= 0, got nan"),
    ({"lr": -1.0}, "lr must be a finite number >= 0, got -1.0"),
])
def test_bad_arguments_raise_value_error(arguments, message):
    with pytest.raises(ValueError, match=message):
        scratchnet.xor(**arguments)


def test_documented():
    assert "seed notebook" in scratchnet.xor.__doc__
    assert scratchnet.__version__


def test_the_package_docstrings_examples_run_as_written():
    import doctest
    failures, tried = doctest.testmod(scratchnet)
    assert tried > 0 and failures == 0
