#!/usr/bin/env python3
"""Resident memory of a hosted paper run as it goes: the real binaries —
`tradeengine venue-sim --speed max` streaming a long 1-minute series built from
the real candles in ../shared/data, `tradeengine serve`, and `tradectl start
--mode paper` on the simulator — with the server's VmRSS (from /proc) sampled
every --every candles the run has processed, up to --candles.

usage: Benchmarks/paper-rss/run.py [--candles 5000000] [--every 250000] [--bin .build/release]
                                   [--model ema_cross_rsi] [--work /tmp/paper-rss] [--server-prefix 'heaptrack -o F']
Prints one line per sample: candles, RSS in MB, candles/s since the last sample.

The series: BTCUSDT's real minutes (January and summer 2025 files) laid end to
end, each copy rescaled so it opens where the last closed, its times carried on
minute by minute, until it holds --candles (+ 1,000 of history) rows.
"""
import argparse, csv, gzip, json, os, re, shutil, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--candles", type=int, default=5_000_000)
ap.add_argument("--every", type=int, default=250_000)
ap.add_argument("--bin", default=".build/release")
ap.add_argument("--model", default="ema_cross_rsi")
ap.add_argument("--work", default="/tmp/paper-rss")
ap.add_argument("--server-prefix", default="", help="a command to run the server under, e.g. 'heaptrack -o /tmp/ht'")
args = ap.parse_args()
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
shared = os.path.join(os.path.dirname(root), "shared", "data")
tradeengine, tradectl = os.path.join(root, args.bin, "tradeengine"), os.path.join(root, args.bin, "tradectl")
os.makedirs(args.work, exist_ok=True)


def rows(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            yield [float(x) for x in row]


def long_series(n):
    path = os.path.join(args.work, f"BTCUSDT-1m-long-{n}.csv")
    if os.path.exists(path):
        return path
    sources = [list(rows(os.path.join(shared, f))) for f in ("BTCUSDT-1m-20250101-20250204.csv", "BTCUSDT-1m-20250520-20250818.csv.gz")]
    t, last_close, written = int(sources[0][0][0]), None, 0
    with open(path + ".tmp", "w") as out:
        out.write("ts,open,high,low,close,volume\n")
        while written < n:
            for src in sources:
                scale = 1.0 if last_close is None else last_close / src[0][1]
                for _, o, h, l, c, v in src:
                    if written >= n:
                        break
                    o, h, l, c = (round(x * scale, 2) for x in (o, h, l, c))
                    h, l = max(h, o, c), min(l, o, c)
                    out.write(f"{t},{o},{h},{l},{c},{v}\n")
                    t += 60_000
                    written += 1
                    last_close = c
    os.rename(path + ".tmp", path)
    return path


def listening(proc, lines=1):
    out = []
    while len(out) < lines:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"{proc.args[1]} exited: {proc.stderr.read()}")
        if "listening on" in line or "metrics on" in line:
            out.append(line.strip())
    return re.search(r"(\d+\.\d+\.\d+\.\d+:\d+)", out[0]).group(1)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


data = long_series(args.candles + 1_000)
first = int(next(rows(data))[0])
certs = os.path.join(args.work, "certs")
shutil.rmtree(certs, ignore_errors=True)
subprocess.run([tradectl, "certs", "init", "--dir", certs], check=True, capture_output=True)
db = os.path.join(args.work, "engine.sqlite")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(db + suffix):
        os.remove(db + suffix)
# History of 1,000 minutes for the backfill; the rest comes over the stream as fast as the feed reads it.
sim = subprocess.Popen([tradeengine, "venue-sim", "--venue", "binance", "--data", data, "--speed", "max",
                        "--start", str(first + 1_000 * 60_000), "--listen", "127.0.0.1:0"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
server = None
try:
    sim_address = listening(sim)
    # Its own process group, so a wrapper (heaptrack) and the server under it stop together.
    server = subprocess.Popen(args.server_prefix.split() + [tradeengine, "serve", "--certs", certs, "--listen", "127.0.0.1:0", "--data-dir", shared, "--db", db],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    address = listening(server)
    ctl = [tradectl, "--server", address, "--ca", f"{certs}/ca.pem", "--cert", f"{certs}/admin.pem", "--key", f"{certs}/admin.key"]

    def status():
        r = subprocess.run(ctl[:1] + ["status", "-o", "json"] + ctl[1:], capture_output=True, text=True, check=True)
        return json.loads(r.stdout)["status"]

    print(f"server pid {server.pid}, RSS before the run {rss_mb(server.pid):.1f} MB", flush=True)
    subprocess.run(ctl[:1] + ["start", "--mode", "paper", "--venue", "binance", "--symbols", "BTCUSDT", "--endpoint", f"http://{sim_address}",
                              "--from", str(first), "--model", args.model] + ctl[1:], check=True, capture_output=True)
    target, last, last_t = args.every, 0, time.time()
    print("candles      RSS MB   candles/s", flush=True)
    while target <= args.candles:
        done = int(status().get("candlesProcessed", "0"))
        if done >= target:
            now = time.time()
            print(f"{done:>9,}  {rss_mb(server.pid):>9.1f}  {(done - last) / (now - last_t):>10,.0f}", flush=True)
            last, last_t = done, now
            target += args.every
        else:
            time.sleep(0.5)
finally:
    import signal
    for p in (server, sim):
        if p:
            if p is server:
                os.killpg(p.pid, signal.SIGTERM)
            else:
                p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
