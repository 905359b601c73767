"""The scikit-learn peer for `neuron train` in `npm run bench`: what its users run, as a whole
process: pandas reads the CSV, LogisticRegression(penalty=None) fits with its defaults (lbfgs,
tol 1e-4, max_iter 100). Prints its mean log loss and iterations as JSON.
Usage: python3 train_sklearn.py data.csv
With --optimum: instead, the exact optimum's mean log loss (Newton's method in NumPy on z-scored
columns until the gradient stops shrinking; not timed)."""
import json
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

path = sys.argv[1]
frame = pd.read_csv(path)
x = frame[[f"x{i}" for i in range(1, 9)]].to_numpy(dtype=np.float64)
y = frame["label"].to_numpy(dtype=np.float64)


def mean_log_loss(coef, intercept):
    z = x @ coef + intercept
    return float(np.mean(np.logaddexp(0, z) - y * z))


if "--optimum" in sys.argv:
    m, s = x.mean(axis=0), x.std(axis=0)
    a = np.hstack([(x - m) / s, np.ones((len(y), 1))])
    theta = np.zeros(a.shape[1])
    best = np.inf
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a @ theta)))
        g = a.T @ (p - y) / len(y)
        if np.abs(g).max() >= best:
            break
        best = np.abs(g).max()
        h = (a * (p * (1 - p))[:, None]).T @ a / len(y)
        theta = theta - np.linalg.solve(h, g)
    coef = theta[:-1] / s
    print(json.dumps({"loss": mean_log_loss(coef, theta[-1] - coef @ m)}))
else:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(penalty=None).fit(x, y)
    print(json.dumps({"loss": mean_log_loss(model.coef_[0], model.intercept_[0]), "iterations": int(model.n_iter_[0])}))
