#!/usr/bin/env bash
# Installs what the build and the tests need, if it is missing:
# - zlib headers (reading .csv.gz candle files), SQLite headers (the store,
#   through GRDB) and pkg-config, through apt;
# - Python grpcio and grpcio-tools, through pip, for the end-to-end test that
#   drives the server with a client we did not write (its client code is
#   generated from Protos/ at test time);
#   prometheus_client, whose parser reads our /metrics in the metrics test;
#   quantstats, which checks our report's metrics on the same equity curve;
# - tmux, in which the `tradectl top` test types and reads the screen;
# - chromium (Debian's) and websocket-client (pip), with which the HTML report
#   test opens the reports in a real headless browser over the DevTools protocol;
# - ccxt and python-binance (pip), the clients we did not write that drive the
#   exchange simulator in its fidelity test.
# Swift packages come from SwiftPM; nothing else is downloaded. protoc is needed
# only to regenerate Protos/Generated (scripts/generate-protos.sh installs it).
set -euo pipefail
need=()
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
[ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
if ! python3 -c "import grpc, grpc_tools, prometheus_client, quantstats, websocket, ccxt, binance" >/dev/null 2>&1; then
    echo "installing: grpcio grpcio-tools prometheus_client quantstats websocket-client ccxt python-binance (pip)"
    python3 -m pip install --quiet --disable-pip-version-check grpcio grpcio-tools prometheus_client quantstats websocket-client \
        ccxt python-binance
fi
