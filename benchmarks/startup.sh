#!/usr/bin/env bash
# Start-up time of Greenwave jars: `greenwave --help` (wall and CPU time), and `greenwave serve` (embedded broker,
# dashboard) until it is ready, i.e. has printed "Ctrl-C stops.". Runs alternate between the jars, so that the load
# of a shared host falls on each alike. Prints, per jar, its size and the median and minimum of each measure.
#
# Usage: benchmarks/startup.sh [-n RUNS] JAR [JAR...]      (from the project folder; default 5 runs per jar)
set -euo pipefail

runs=5
if [ "${1:-}" = -n ]; then runs="$2"; shift 2; fi
[ $# -ge 1 ] || { echo "usage: $0 [-n RUNS] JAR [JAR...]" >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scenario="$ROOT/scenarios/corridor"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

help_ms() {
  local t0; t0=$(now_ms)
  java -Dgreenwave.home="$ROOT" -jar "$1" --help >/dev/null
  echo $(( $(now_ms) - t0 ))
}

help_cpu_ms() { # user + system CPU time: less sensitive than wall time to other work on the machine
  /usr/bin/time -f '%U %S' java -Dgreenwave.home="$ROOT" -jar "$1" --help 2>&1 >/dev/null | awk '{printf "%d", ($1 + $2) * 1000}'
}

serve_ms() {
  local t0 line ms=fail
  t0=$(now_ms)
  coproc SERVE { exec java -Dgreenwave.home="$ROOT" -jar "$1" serve --scenario "$scenario" --listen 127.0.0.1:0 \
      --port 0 --run-for 60 2>/dev/null; }
  while IFS= read -r line <&"${SERVE[0]}"; do
    if [ "$line" = "Ctrl-C stops." ]; then ms=$(( $(now_ms) - t0 )); break; fi
  done
  kill "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
  echo "$ms"
}

stats() { # median and minimum of the numbers on stdin
  sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "median %d ms, min %d ms", m, v[1]}'
}

declare -A help cpu serve
for ((r = 1; r <= runs; r++)); do
  for jar in "$@"; do
    help[$jar]+="$(help_ms "$jar") "
    cpu[$jar]+="$(help_cpu_ms "$jar") "
    serve[$jar]+="$(serve_ms "$jar") "
  done
done
for jar in "$@"; do
  printf '%s  %.1f MB\n' "$jar" "$(stat -c %s "$jar" | awk '{print $1 / 1e6}')"
  printf '  --help           %s   (%s)\n' "$(tr ' ' '\n' <<<"${help[$jar]}" | grep . | stats)" "${help[$jar]% }"
  printf '  --help CPU       %s   (%s)\n' "$(tr ' ' '\n' <<<"${cpu[$jar]}" | grep . | stats)" "${cpu[$jar]% }"
  printf '  serve to ready   %s   (%s)\n' "$(tr ' ' '\n' <<<"${serve[$jar]}" | grep . | stats)" "${serve[$jar]% }"
done
