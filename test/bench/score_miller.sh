#!/bin/sh
# The Miller baseline for `npm run bench`: the same job as neuron eval, with
# the weights written into the expression (Miller has no weights file).
# Usage: score_miller.sh data.csv out.csv w1 ... w8 bias
data=$1 out=$2
shift 2
expr=$(awk -v w="$*" 'BEGIN { n = split(w, a, " "); s = a[n]; for (i = 1; i < n; i++) s = s " + " a[i] " * $x" i; print s }')
exec mlr --icsv --ocsv --ofmt %.17g put "
  var z = $expr;
  var e = exp(-abs(z));
  var q = e / (1 + e);
  \$z = z;
  \$sigmoid = z >= 0 ? 1 - q : q;
  \$class = z >= 0 ? \"1\" : \"0\";
" then cut -o -f id,z,sigmoid,class "$data" > "$out"
