"""The scikit-learn peer for the multinomial solver (issue 12's bench case: 10 classes, 20 features,
1M rows), solver against solver, data in memory: LogisticRegression() with its defaults (C=1, lbfgs,
tol 1e-4, max_iter 100; multinomial for 10 classes), timed around fit() only.
Usage: python3 multinomial_sklearn.py DIR [ROWS]
Writes DIR/x.f64 (rows x 20, row-major) and DIR/y.i32 (class indices), generated here (NumPy
seed 7: standard normal features, labels drawn from a softmax of a random layer), for
multinomial_fit.mjs to read; prints {"seconds", "cpu" (seconds, all threads), "iterations", "loss", "objective"} as JSON, where
loss = mean cross-entropy and objective = loss + |W|^2 / (2 C n), the mean form neuron minimises."""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
d, k = 20, 10
rng = np.random.default_rng(7)
x = rng.standard_normal((n, d))
true = rng.standard_normal((k, d)) * 0.5
z = x @ true.T
p = np.exp(z - z.max(axis=1, keepdims=True))
p /= p.sum(axis=1, keepdims=True)
y = (p.cumsum(axis=1) > rng.random((n, 1))).argmax(axis=1).astype(np.int32)
x.astype(np.float64).tofile(f"{out}/x.f64")
y.tofile(f"{out}/y.i32")

model = LogisticRegression()
start, cpu = time.perf_counter(), time.process_time()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    model.fit(x, y)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
z = x @ model.coef_.T + model.intercept_
m = z.max(axis=1, keepdims=True)
ce = m[:, 0] + np.log(np.exp(z - m).sum(axis=1)) - z[np.arange(n), y]
loss = float(ce.mean())
print(json.dumps({"seconds": seconds, "cpu": cpu, "iterations": int(model.n_iter_[0]), "loss": loss, "objective": loss + float((model.coef_**2).sum()) / (2 * n)}))
