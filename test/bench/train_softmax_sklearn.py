"""The scikit-learn peer for `neuron train` on the 10-class case of `npm run bench`: what its users
run, as a whole process: pandas reads the CSV, LogisticRegression(penalty=None) fits with its
defaults (multinomial for more than two classes, lbfgs, tol 1e-4, max_iter 100). Prints its
mean cross-entropy and iterations as JSON.
Usage: python3 train_softmax_sklearn.py data.csv
Not timed, for the comparison:
  --optimum        the exact optimum's mean cross-entropy (Newton's method in NumPy on z-scored
                   columns, minimum-norm steps, backtracking, until the gradient stops shrinking)
  --loss-of FILE   the mean cross-entropy of a neuron softmax weights file on the data"""
import json
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

path = sys.argv[1]
frame = pd.read_csv(path)
features = [c for c in frame.columns if c not in ("id", "label")]
x = frame[features].to_numpy(dtype=np.float64)
classes = sorted(frame["label"].astype(str).unique())
y = np.searchsorted(classes, frame["label"].astype(str).to_numpy())
n, d = x.shape
k = len(classes)


def mean_cross_entropy(z):
    top = z.max(axis=1, keepdims=True)
    lse = top[:, 0] + np.log(np.exp(z - top).sum(axis=1))
    return float(np.mean(lse - z[np.arange(n), y]))


if "--loss-of" in sys.argv:
    with open(sys.argv[sys.argv.index("--loss-of") + 1]) as f:
        model = json.load(f)
    assert model["classes"] == classes, model["classes"]
    cols = model.get("features", features)
    w = model["weights"]
    W = np.array([[w[c][f] for f in cols] for c in classes] if isinstance(w, dict) else w, dtype=np.float64)
    xs = frame[cols].to_numpy(dtype=np.float64)
    if "scaling" in model:
        xs = (xs - np.array(model["scaling"]["mean"])) / np.array(model["scaling"]["std"])
    print(json.dumps({"loss": mean_cross_entropy(xs @ W.T + np.array(model["bias"]))}))
elif "--optimum" in sys.argv:
    m, s = x.mean(axis=0), x.std(axis=0)
    a = np.hstack([(x - m) / s, np.ones((n, 1))])
    q = d + 1
    theta = np.zeros((q, k))
    onehot = np.eye(k)[y]
    best = np.inf
    for _ in range(50):
        z = a @ theta
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        g = a.T @ (p - onehot) / n
        size = np.abs(g).max()
        if size >= best and best < 1e-9:
            break
        best = min(best, size)
        # H = blockdiag(Aᵀ diag(p_c) A) - BᵀB, B = [p_c · a] over the classes; in chunks to bound memory.
        h = np.zeros((k * q, k * q))
        for start in range(0, n, 100000):
            ac, pc = a[start : start + 100000], p[start : start + 100000]
            b = (pc[:, :, None] * ac[:, None, :]).reshape(len(ac), k * q)
            h -= b.T @ b
            for c in range(k):
                h[c * q : (c + 1) * q, c * q : (c + 1) * q] += (ac * pc[:, c : c + 1]).T @ ac
        h /= n
        step = np.linalg.lstsq(h, g.T.reshape(-1), rcond=None)[0].reshape(k, q).T
        t, f0 = 1.0, mean_cross_entropy(z)
        while mean_cross_entropy(a @ (theta - t * step)) > f0 + 1e-15 * f0 and t > 1e-10:
            t /= 2
        theta = theta - t * step
    print(json.dumps({"loss": mean_cross_entropy(a @ theta), "gradient": float(best)}))
else:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(penalty=None).fit(x, y)
    print(json.dumps({"loss": mean_cross_entropy(x @ model.coef_.T + model.intercept_), "iterations": int(model.n_iter_[0])}))
