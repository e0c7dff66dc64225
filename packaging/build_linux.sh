#!/usr/bin/env bash
# Build the Linux one-folder bundle with PyInstaller from this checkout.
#
#   bash packaging/build_linux.sh [--no-archive]
#
# Makes its own virtualenv (build/linux/venv: the project with its [gui] extra and PyInstaller),
# runs build.spec, adds the desktop entry, its icon and their installer to the folder, and packs
# dist/kaspi-amo-sync-<version>-linux-<arch>.tar.gz (skipped with --no-archive).
# Result: "dist/Kaspi amoCRM Sync/Kaspi amoCRM Sync" - no arguments: the tray app; arguments: the
# kaspi-amo command line (--version, doctor, demo, poll, …).
#
# Environment: PYTHON (3.11+, default python3), BUILD_DIR (default build/linux), DIST_DIR (default dist).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
BUILD_DIR=${BUILD_DIR:-$ROOT/build/linux}
DIST_DIR=${DIST_DIR:-$ROOT/dist}
PYINSTALLER_SPEC="pyinstaller>=6.10,<7"
APP="Kaspi amoCRM Sync"
archive=1
[ "${1:-}" = "--no-archive" ] && archive=0

started=$(date +%s)
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed to build")'
mkdir -p "$BUILD_DIR" "$DIST_DIR"
if [ ! -x "$BUILD_DIR/venv/bin/python" ]; then
  echo "== virtualenv $BUILD_DIR/venv"
  "$PYTHON" -m venv "$BUILD_DIR/venv"
fi
echo "== installing the app's dependencies and PyInstaller"
PIP_DISABLE_PIP_VERSION_CHECK=1 "$BUILD_DIR/venv/bin/python" -m pip install -q "$ROOT[gui]" "$PYINSTALLER_SPEC"

echo "== pyinstaller build.spec"
rm -rf "${DIST_DIR:?}/$APP"
(cd "$ROOT" && "$BUILD_DIR/venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST_DIR" --workpath "$BUILD_DIR/pyinstaller" build.spec)

bundle="$DIST_DIR/$APP"
cp "$ROOT/packaging/linux/kaspi-amo-sync.desktop" "$ROOT/packaging/linux/kaspi-amo-sync.svg" \
   "$ROOT/packaging/linux/install-desktop-entry.sh" "$bundle/"
chmod +x "$bundle/install-desktop-entry.sh"

version=$("$bundle/$APP" --version | awk '{print $NF}')
echo "== built $APP $version: $bundle ($(du -sh "$bundle" | cut -f1))"
if [ "$archive" = 1 ]; then
  tarball="$DIST_DIR/kaspi-amo-sync-$version-linux-$(uname -m).tar.gz"
  tar -C "$DIST_DIR" -czf "$tarball" "$APP"
  echo "== archive $tarball ($(du -sh "$tarball" | cut -f1))"
fi
echo "== done in $(( $(date +%s) - started )) s"
