#!/usr/bin/env bash
# Builds Greenwave's generated scenario corpus (see README.md beside this file).
#   scenarios/corpus/generate.sh OUT_DIR [NAME ...]   every scenario, or the named ones, into OUT_DIR/<name>/
#   scenarios/corpus/generate.sh --list               the scenario names
set -euo pipefail
export SUMO_HOME="${SUMO_HOME:-/usr/share/sumo}"
exec python3 "$(dirname "${BASH_SOURCE[0]}")/corpus.py" "$@"
