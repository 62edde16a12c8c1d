#!/bin/sh
# Mutation testing of the engine, the sizing, the output writer and the CLI error mapping (mutmut).
# Usage: tools/mutation.sh [engine|sizing|output|cli]... [--report FICHIER.md]   (≈ 20–30 min on 2 cores)
# Not part of the default test run; exit 1 when a target is below its goal (90 % / 80 %).
set -e
cd "$(dirname "$0")/.."
python3 -m pip install -q "mutmut==3.8.1" >/dev/null
exec python3 tools/mutation.py "$@"
