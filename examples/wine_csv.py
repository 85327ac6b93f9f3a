#!/usr/bin/python3
"""Writes the README's tour data: scikit-learn's wine measurements (13 features, 3 cultivars) as
train.csv (140 rows) and test.csv (38 rows), split at random with each cultivar in proportion,
the label last; and reordered.csv, test.csv with its feature columns in reverse order.

Usage: /usr/bin/python3 examples/wine_csv.py [FOLDER]   (default: the current folder)
"""
import os
import sys

from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

folder = sys.argv[1] if len(sys.argv) > 1 else "."
wine = load_wine()
names = list(wine.feature_names) + ["cultivar"]
x_train, x_test, y_train, y_test = train_test_split(
    wine.data, wine.target, test_size=38, stratify=wine.target, random_state=0)


def write(name, features, labels, columns):
    with open(os.path.join(folder, name), "w") as out:
        out.write(",".join(names[c] for c in columns) + "\n")
        for row, label in zip(features, labels):
            values = [f"{v:g}" for v in row] + [str(label)]
            out.write(",".join(values[c] for c in columns) + "\n")


write("train.csv", x_train, y_train, range(14))
write("test.csv", x_test, y_test, range(14))
write("reordered.csv", x_test, y_test, [*range(12, -1, -1), 13])
