#!/usr/bin/env bash
# Installs the system packages the build needs, if they are missing:
# zlib headers (reading .csv.gz candle files), SQLite headers (the store, through
# GRDB) and pkg-config.
# Swift packages come from SwiftPM; nothing else is downloaded.
set -euo pipefail
need=()
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
[ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
