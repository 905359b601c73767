"""The pandas + NumPy baseline for `npm run bench`: the same job as
`neuron eval data.csv -w weights.json --keep id -o out.csv`.
Usage: python3 score_pandas.py data.csv weights.json out.csv"""
import json
import sys

import numpy as np
import pandas as pd

data_path, weights_path, out_path = sys.argv[1:4]
with open(weights_path) as f:
    model = json.load(f)
frame = pd.read_csv(data_path)
x = frame[model["features"]].to_numpy(dtype=np.float64)
z = x @ np.asarray(model["weights"], dtype=np.float64) + model["bias"]
e = np.exp(-np.abs(z))  # the stable sigmoid, as neuron computes it
q = e / (1 + e)
p = np.where(z >= 0, 1 - q, q)
classes = np.asarray(model.get("classes", ["0", "1"]))
out = pd.DataFrame({"id": frame["id"], "z": z, "sigmoid": p, "class": classes[(z >= 0).astype(int)]})
out.to_csv(out_path, index=False)  # floats as repr(): shortest round-trip, lossless
