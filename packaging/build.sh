#!/usr/bin/env bash
# Build the one-folder application (dist/ClusterAtlas) from a clean virtual environment, then run
# the built program's self-test. Usage: bash packaging/build.sh   (PYTHON=python3.11 by default)
#
# The venv is made afresh in build/venv and the project is installed into it non-editable with
# only its runtime dependencies and PyInstaller, so nothing from a developer's .venv (pytest,
# hypothesis, ...) can slip into the build.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
VENV=build/venv

# PyInstaller reads shared-library dependencies with binutils (objdump) and strips with strip.
if ! command -v objdump >/dev/null 2>&1 || ! command -v strip >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils >/dev/null
  else
    echo "packaging/build.sh needs binutils (objdump, strip): install it first." >&2
    exit 1
  fi
fi

echo "== clean virtual environment ($VENV)"
rm -rf "$VENV" build/pyinstaller dist/ClusterAtlas
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -qq --upgrade pip
"$VENV/bin/python" -m pip install -qq ".[build]"
rm -rf build/lib build/bdist.*  # setuptools' wheel-building leftovers
installed=$(date +%s)

echo "== pyinstaller build.spec"
"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist build.spec
built=$(date +%s)

echo "== self-test of the built program"
QT_QPA_PLATFORM=offscreen CLUSTER_ATLAS_PASSPHRASE=${CLUSTER_ATLAS_PASSPHRASE:-orchard-lantern-42} \
  dist/ClusterAtlas/ClusterAtlas --self-test
finished=$(date +%s)

size=$(du -sh dist/ClusterAtlas | cut -f1)
files=$(find dist/ClusterAtlas -type f | wc -l)
echo "== dist/ClusterAtlas: $size in $files files; venv $((installed - started)) s," \
     "pyinstaller $((built - installed)) s, self-test $((finished - built)) s"
