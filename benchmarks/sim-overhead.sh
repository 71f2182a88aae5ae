#!/usr/bin/env bash
# What `greenwave simulate` costs beyond SUMO itself. Per scenario and controller it alternates, N times:
#   1. `greenwave simulate --scenario S --controller C --seeds 1` (one run, --parallel 1), then
#   2. SUMO alone with that run's own command line (the run's sumo-command.txt: same seed, window, scenario files and
#      outputs, tripinfo included; without Greenwave's detectors and without a TraCI connection, so the signals run
#      the programs SUMO loaded: for `fixed` the fixed-time programs Greenwave installs; for `actuated` the actuated
#      programs Greenwave installs, with the detectors, whose stop-line loops those programs read).
# Alternating puts the load of a shared machine on both sides alike. Prints, per scenario and controller, the median
# wall time, CPU time (user + system, SUMO's included for Greenwave) and peak resident memory of each side (for
# Greenwave the Java process's, which GNU time reports as the largest of it and SUMO), and the ratio of wall times.
#
# Usage: benchmarks/sim-overhead.sh [-n PAIRS] [-s "SCENARIO..."] [-c "CONTROLLER..."] [-o DIR]
#   (from the project folder, after building the jar; defaults: 3 pairs, grid4x4 ingolstadt7 bologna-pasubio,
#   controllers fixed max-pressure greenwave greenwave@mqtt, where @mqtt adds --via mqtt)
set -euo pipefail

pairs=3
scenarios="grid4x4 ingolstadt7 bologna-pasubio"
controllers="fixed max-pressure greenwave greenwave@mqtt"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) pairs="$2"; shift 2 ;;
    -s) scenarios="$2"; shift 2 ;;
    -c) controllers="$2"; shift 2 ;;
    -o) out="$2"; shift 2 ;;
    *) echo "usage: $0 [-n PAIRS] [-s \"SCENARIO...\"] [-c \"CONTROLLER[@mqtt]...\"] [-o DIR]" >&2; exit 2 ;;
  esac
done
JAR="$ROOT/app/target/greenwave.jar"
[ -f "$JAR" ] || { echo "no $JAR: build first (./mvnw -q -o -B -DskipTests package)" >&2; exit 1; }
export SUMO_HOME="${SUMO_HOME:-/usr/share/sumo}"
SHARED="$(cd "$ROOT/.." && pwd)/shared/scenarios"
[ -n "$out" ] || out="$(mktemp -d /tmp/sim-overhead.XXXXXX)"
mkdir -p "$out"

config_of() {
  case "$1" in
    grid4x4|ingolstadt7|cologne1) echo "$SHARED/resco/$1/$1.sumocfg" ;;
    bologna-pasubio|bologna-acosta) echo "$SHARED/external/$1/run.sumocfg" ;;
    *) [ -f "$1" ] && echo "$1" || { echo "unknown scenario $1" >&2; exit 2; } ;;
  esac
}

# Prints "wall_s cpu_s peak_kib" of the command in "$@", its output going to $LOG.
measure() {
  /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" "$@" >"$LOG" 2>&1 || { echo "failed: $* (see $LOG)" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$out/time.txt"
}

run_greenwave() { # scenario-config controller via run-dir
  local via=()
  [ "$3" = mqtt ] && via=(--via mqtt)
  rm -rf "$4"
  # Through the launcher, with the JVM settings it gives simulation runs.
  LOG="$4.log" measure "$ROOT/greenwave" --quiet simulate --scenario "$1" --controller "$2" \
    --seeds 1 --parallel 1 "${via[@]}" --out "$4"
}

run_sumo_alone() { # greenwave-run-dir sumo-alone-dir
  local run cmd=()
  run="$(ls -d "$1"/*/seed-1)"
  rm -rf "$2"; cp -r "$run" "$2"
  # The run's own command line, its outputs going to the copy, without Greenwave's detectors, unless the run installed
  # actuated programs: their gap-out logic reads the stop-line loops in that file.
  local keep_detectors=""
  [ -f "$run/greenwave.actuated.add.xml" ] && keep_detectors=1
  while IFS= read -r arg; do
    arg="${arg//$run/$2}"
    [ -n "$keep_detectors" ] || arg="$(sed -E "s#(^|,)[^,]*greenwave\.det\.add\.xml##; s#^,##" <<<"$arg")"
    if [ -z "$arg" ] && [ "${cmd[-1]}" = -a ]; then unset 'cmd[-1]'; else cmd+=("$arg"); fi
  done <"$run/sumo-command.txt"
  LOG="$2.log" measure "${cmd[@]}"
}

median() { sort -n | awk '{v[NR]=$1} END {print NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# One short, unmeasured run first: the launcher archives the classes of a command's first run after a build (class-data
# sharing), which later runs start from; that first run's exit would otherwise weigh on the first row.
LOG="$out/warm-up.log" measure "$ROOT/greenwave" --quiet simulate --scenario "$ROOT/scenarios/intersection/intersection.sumocfg" \
  --controller greenwave --seeds 1 --parallel 1 --end 300 --out "$out/warm-up" >/dev/null

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $pairs pair(s) per row, results in $out"
printf '| scenario | controller | SUMO alone wall s | Greenwave wall s | ratio | SUMO alone CPU s | Greenwave CPU s | SUMO alone peak MiB | Greenwave peak MiB |\n'
printf '|---|---|--:|--:|--:|--:|--:|--:|--:|\n'
for s in $scenarios; do
  cfg="$(config_of "$s")"
  for c in $controllers; do
    ctl="${c%@*}"; via=""; [ "$c" != "$ctl" ] && via="${c#*@}"
    gw=(); alone=()
    for ((i = 1; i <= pairs; i++)); do
      dir="$out/$s-${c/@/-}-$i"
      gw+=("$(run_greenwave "$cfg" "$ctl" "$via" "$dir")")
      alone+=("$(run_sumo_alone "$dir" "$dir-sumo")")
    done
    col() { local k="$1"; shift; for x in "$@"; do echo "$x" | cut -d' ' -f"$k"; done | median; }
    gw_wall=$(col 1 "${gw[@]}"); al_wall=$(col 1 "${alone[@]}")
    printf '| %s | %s | %.1f | %.1f | %.1f× | %.1f | %.1f | %.0f | %.0f |\n' "$s" "$c" "$al_wall" "$gw_wall" \
      "$(awk -v a="$gw_wall" -v b="$al_wall" 'BEGIN {print a / b}')" "$(col 2 "${alone[@]}")" "$(col 2 "${gw[@]}")" \
      "$(awk -v k="$(col 3 "${alone[@]}")" 'BEGIN {print k / 1024}')" "$(awk -v k="$(col 3 "${gw[@]}")" 'BEGIN {print k / 1024}')"
  done
done
