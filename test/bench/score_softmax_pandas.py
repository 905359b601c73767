"""The pandas + NumPy baseline for the 10-class case of `npm run bench`: the same job as
`neuron eval data.csv -w softmax.json --keep id -o out.csv` for a softmax weights file
(weights as k rows in features order): z for each class, the softmax with the max subtracted,
the class with the largest z (the first on a tie, as neuron and numpy.argmax).
Usage: python3 score_softmax_pandas.py data.csv softmax.json out.csv"""
import json
import sys

import numpy as np
import pandas as pd

data_path, weights_path, out_path = sys.argv[1:4]
with open(weights_path) as f:
    model = json.load(f)
classes = model["classes"]
frame = pd.read_csv(data_path)
x = frame[model["features"]].to_numpy(dtype=np.float64)
z = x @ np.asarray(model["weights"], dtype=np.float64).T + np.asarray(model["bias"], dtype=np.float64)
e = np.exp(z - z.max(axis=1, keepdims=True))
p = e / e.sum(axis=1, keepdims=True)
columns = {"id": frame["id"]}
columns.update({f"z_{c}": z[:, i] for i, c in enumerate(classes)})
columns.update({f"softmax_{c}": p[:, i] for i, c in enumerate(classes)})
columns["class"] = np.asarray(classes)[z.argmax(axis=1)]
pd.DataFrame(columns).to_csv(out_path, index=False)  # floats as repr(): shortest round-trip, lossless
