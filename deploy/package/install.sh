#!/bin/sh
# Installs the cordon-agent tarball on a host without dpkg: copies root/ into place file by file
# (so symlinked directories such as /lib stay symlinks) and runs the package's own postinst.
#   sudo ./install.sh              install on this host
#   ./install.sh --root DIR        only copy the files under DIR (an image being built); starts nothing
set -e
cd "$(dirname "$0")"

target=/
if [ "$1" = --root ]; then
  [ -n "$2" ] || { echo "install.sh: --root needs a directory" >&2; exit 2; }
  target=$2
elif [ "$(id -u)" != 0 ]; then
  echo "install.sh: run as root (sudo ./install.sh)" >&2
  exit 1
fi

(cd root && find . ! -type d) | while IFS= read -r f; do
  mkdir -p "$target/$(dirname "$f")"
  rm -f "$target/$f"
  cp -a "root/$f" "$target/$f"
done

if [ "$target" = / ]; then
  ./postinst configure
fi
echo "cordon-agent installed under $target"
