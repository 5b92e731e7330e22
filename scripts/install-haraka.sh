#!/bin/sh
# Installs the Haraka that the probe's tests run against into a cache folder and prints the
# folder. The versions are exact: scripts/haraka/package.json and its lockfile. Haraka is not a
# devDependency of the workspace because it does not install cleanly on Node 20 (some of its
# dependencies ask for Node 22); it runs on Node 20 for what the tests use (SMTP in, relaying,
# outbound delivery and bounces). Optional plugins and install scripts are left out.
#   DSNKIT_HARAKA_CACHE  the folder (default: ${XDG_CACHE_HOME:-$HOME/.cache}/dsnkit/haraka-VERSION)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^ *"Haraka": "\([0-9.]*\)".*/\1/p' "$here/haraka/package.json" | head -1)
cache="${DSNKIT_HARAKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dsnkit/haraka-$version}"
if [ ! -f "$cache/.installed" ] || ! cmp -s "$here/haraka/package-lock.json" "$cache/.installed"; then
  echo "install-haraka: installing Haraka $version into $cache" >&2
  rm -rf "$cache"
  mkdir -p "$cache"
  cp "$here/haraka/package.json" "$here/haraka/package-lock.json" "$cache/"
  (cd "$cache" && npm ci --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$here/haraka/package-lock.json" "$cache/.installed"
fi
echo "$cache"
