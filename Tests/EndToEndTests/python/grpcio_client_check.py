#!/usr/bin/env python3
"""A client we did not write: Python grpcio against a running tradeengine server.

Generates stubs from Protos/ at run time with grpcio-tools (nothing from the
Swift side is used), connects with mutual TLS, calls QueryService.GetStatus,
starts a replay, reads signals from StreamService.WatchSignals and pages
through QueryService.ListTrades. Exits 0 when every check passes; prints one
line per check and a closing "N passed, N failed" line.

Usage: grpcio_client_check.py --server 127.0.0.1:PORT --certs DIR --protos DIR --data FILE
"""
import argparse
import importlib
import os
import sys
import tempfile
import threading

import grpc
from grpc_tools import protoc
import grpc_tools


def generate_stubs(protos_dir, out_dir):
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    files = []
    for root, _, names in os.walk(os.path.join(protos_dir, "tradeengine")):
        files += [os.path.relpath(os.path.join(root, n), protos_dir) for n in names if n.endswith(".proto")]
    args = ["protoc", "-I", protos_dir, "-I", well_known, "--python_out", out_dir, "--grpc_python_out", out_dir] + sorted(files)
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed on " + " ".join(files))
    sys.path.insert(0, out_dir)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--certs", required=True)
    parser.add_argument("--protos", required=True)
    parser.add_argument("--data", required=True)
    a = parser.parse_args()

    generate_stubs(a.protos, tempfile.mkdtemp(prefix="te-stubs-"))
    common = importlib.import_module("tradeengine.v1.common_pb2")
    control = importlib.import_module("tradeengine.v1.control_pb2")
    control_grpc = importlib.import_module("tradeengine.v1.control_pb2_grpc")
    query = importlib.import_module("tradeengine.v1.query_pb2")
    query_grpc = importlib.import_module("tradeengine.v1.query_pb2_grpc")
    stream = importlib.import_module("tradeengine.v1.stream_pb2")
    stream_grpc = importlib.import_module("tradeengine.v1.stream_pb2_grpc")

    def read(name):
        with open(os.path.join(a.certs, name), "rb") as f:
            return f.read()

    credentials = grpc.ssl_channel_credentials(root_certificates=read("ca.pem"),
                                               private_key=read("admin.key"), certificate_chain=read("admin.pem"))
    channel = grpc.secure_channel(a.server, credentials)
    grpc.channel_ready_future(channel).result(timeout=15)
    queries = query_grpc.QueryServiceStub(channel)
    controls = control_grpc.ControlServiceStub(channel)
    streams = stream_grpc.StreamServiceStub(channel)

    passed, failed = 0, 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)))
        if ok:
            passed += 1
        else:
            failed += 1

    status = queries.GetStatus(query.GetStatusRequest(), timeout=10).status
    check("GetStatus answers with an idle engine", status.state == common.ENGINE_STATE_IDLE, status)
    check("money is an exact decimal string", status.equity.startswith("100000"), status.equity)

    # Subscribe first, then start: the stream must deliver the run's signals.
    signals = []
    subscribed = threading.Event()
    watch = streams.WatchSignals(stream.WatchSignalsRequest(), timeout=60)

    def reader():
        subscribed.set()
        for message in watch:
            if message.WhichOneof("event") == "signal":
                signals.append(message.signal)
                if len(signals) >= 3:
                    watch.cancel()
                    return

    thread = threading.Thread(target=reader)
    thread.start()
    subscribed.wait(5)
    import time
    time.sleep(0.5)
    started = controls.Start(control.StartRequest(mode=common.ENGINE_MODE_REPLAY, speed=common.REPLAY_SPEED_MAX,
                                                  files=control.DataFiles(paths=[a.data]), models=["ema_cross_rsi"]), timeout=30)
    check("Start returns a running status", started.status.state in (common.ENGINE_STATE_RUNNING, common.ENGINE_STATE_FINISHED),
          started.status)
    thread.join(60)
    check("WatchSignals delivered 3 signals", len(signals) >= 3, len(signals))
    if signals:
        s = signals[0]
        check("a signal names its model, symbol and reason",
              s.model == "ema_cross_rsi" and s.symbol == "BTCUSDT" and len(s.reasons) > 0, s)

    for _ in range(300):
        if queries.GetStatus(query.GetStatusRequest(), timeout=10).status.state == common.ENGINE_STATE_FINISHED:
            break
        time.sleep(0.1)
    first = queries.ListTrades(query.ListTradesRequest(page=common.PageRequest(page_size=5)), timeout=10)
    check("ListTrades returns a page of 5", len(first.trades) == 5, len(first.trades))
    check("ListTrades gives a next page token", first.page.next_page_token != "", first.page)
    second = queries.ListTrades(query.ListTradesRequest(
        page=common.PageRequest(page_size=5, page_token=first.page.next_page_token)), timeout=10)
    check("the next page continues the sequence", second.trades and second.trades[0].sequence == first.trades[-1].sequence + 1,
          [t.sequence for t in second.trades])
    try:
        queries.ListTrades(query.ListTradesRequest(page=common.PageRequest(page_size=0)), timeout=10)
        check("page_size 0 is refused", False, "accepted")
    except grpc.RpcError as e:
        check("page_size 0 is INVALID_ARGUMENT", e.code() == grpc.StatusCode.INVALID_ARGUMENT, e.code())

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
