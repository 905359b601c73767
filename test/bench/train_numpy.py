"""The NumPy baseline for `neuron train` in `npm run bench`: full-batch
gradient descent on the mean log loss from zeros, learning rate 0.1, no
penalty, as `neuron train --epochs N` does it (timed with the CSV read).
Usage: python3 train_numpy.py data.csv epochs out.json"""
import json
import sys

import numpy as np
import pandas as pd

data_path, epochs, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
frame = pd.read_csv(data_path)
x = frame[[f"x{i}" for i in range(1, 9)]].to_numpy(dtype=np.float64)
y = frame["label"].to_numpy(dtype=np.float64)
w = np.zeros(x.shape[1])
b = 0.0
lr = 0.1
for _ in range(epochs):
    z = x @ w + b
    e = np.exp(-np.abs(z))
    p = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    r = p - y
    w -= lr * (x.T @ r) / len(y)
    b -= lr * r.mean()
with open(out_path, "w") as f:
    json.dump({"weights": w.tolist(), "bias": b}, f)
