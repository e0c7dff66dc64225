#!/usr/bin/env bash
# The tools of the Windows installer test under wine (tests/windows/test_installer.py), from
# Debian's packages and the npm registry; installs only what is missing, then prints the path
# of Inno Setup's compiler on its last line.
#
#   wine, wine64, wine32:i386   Setup and ISCC are 32-bit Windows programs, the app is 64-bit
#   xvfb                        wine draws windows even for a silent Setup
#   gcc-mingw-w64-x86-64-win32, binutils-mingw-w64-x86-64
#                               builds the stand-in bundle (the x86-64 C compiler and windres of
#                               Debian's mingw-w64; the whole mingw-w64 set is 4 times bigger)
#   npm innosetup@6.4.1         ISCC.exe and its language files, run under wine
#
# Exit codes: 0 ready; 3 the tools are missing and cannot be installed here (not root, no
# apt-get, no package index), with the reason on stderr; anything else is a bug.
# KASPI_AMO_TOOLS_DIR: where the npm package goes (default ~/.cache/kaspi-amo-tools).
set -euo pipefail

ISCC_PACKAGE=innosetup@6.4.1
TOOLS_DIR=${KASPI_AMO_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kaspi-amo-tools}
ISCC=$TOOLS_DIR/node_modules/innosetup/bin/ISCC.exe

cannot() {
  echo "wine-tools: $*" >&2
  exit 3
}

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

packages=()
command -v wine >/dev/null 2>&1 || packages+=(wine wine64)
installed wine32:i386 || packages+=(wine32:i386)
command -v Xvfb >/dev/null 2>&1 || packages+=(xvfb)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || packages+=(gcc-mingw-w64-x86-64-win32)
command -v x86_64-w64-mingw32-windres >/dev/null 2>&1 || packages+=(binutils-mingw-w64-x86-64)
command -v npm >/dev/null 2>&1 || packages+=(npm)

if [ ${#packages[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || cannot "missing ${packages[*]} and no apt-get to install them"
  [ "$(id -u)" = 0 ] || cannot "missing ${packages[*]}; installing them needs root (sudo bash $0)"
  started=$(date +%s)
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get -qq -o DPkg::Lock::Timeout=300 update >&2 || cannot "apt-get update failed (no package index?)"
  apt-get -qq -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${packages[@]}" >&2 \
    || cannot "apt-get install ${packages[*]} failed"
  echo "wine-tools: installed ${packages[*]} in $(( $(date +%s) - started )) s" >&2
fi

if [ ! -f "$ISCC" ] || ! grep -q "\"version\": \"${ISCC_PACKAGE#*@}\"" "$TOOLS_DIR/node_modules/innosetup/package.json"; then
  started=$(date +%s)
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-save --no-audit --no-fund --loglevel=error "$ISCC_PACKAGE" >&2 \
    || cannot "npm install $ISCC_PACKAGE failed (no npm registry?)"
  [ -f "$ISCC" ] || cannot "npm's $ISCC_PACKAGE has no bin/ISCC.exe"
  echo "wine-tools: installed $ISCC_PACKAGE in $(( $(date +%s) - started )) s" >&2
fi
echo "$ISCC"
