#!/bin/sh
# Makes the README's pictures with the built neuron (npm run build first), from the
# tutorial's data: the lesson's boundary, the sigmoid with the 14 rows on it, and the
# loss of `neuron train --history`. These are the commands of the README's step 6.
# test/e2e/readme-pictures.test.ts runs this into a temporary folder and fails if a
# committed picture differs. Usage: sh docs/pictures/make.sh [OUT_DIR]  (default docs/pictures)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mkdir -p "${1:-$root/docs/pictures}" && cd "${1:-$root/docs/pictures}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$root/fixtures" "$work/fixtures"
cd "$work"
neuron() { node "$root/bin/neuron.js" "$@"; }

neuron plot fixtures/obesity.csv -w fixtures/obesity.weights.json --label Condition -o "$out/boundary.png"
neuron plot fixtures/obesity.csv -w fixtures/obesity.weights.json --label Condition --kind activation --row 1 -o "$out/activation.png"
# Step 4's gradient descent (the tutorial's data is separable: Newton stops at once and says so).
neuron train fixtures/obesity.csv --label Condition --solver gd --standardize --quiet --history history.ndjson -o trained-gd.json
neuron plot --kind loss history.ndjson -o "$out/loss.png"
