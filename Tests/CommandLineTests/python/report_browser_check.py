"""Opens an HTML report in headless Chromium (Debian's `chromium`) over the
DevTools protocol, and reports what a reader's browser would show:

- for every chart (figure.chart): how many data marks (class "mark") it has
  and how many the browser actually laid out with a size (getBBox), so a
  chart that drew nothing is caught, not just a chart missing from the markup;
- every console message of level warning or error, and every uncaught exception;
- a full-page screenshot (PNG) at 1100 px wide.

usage: report_browser_check.py REPORT.html SCREENSHOT.png
Prints one JSON object; exits 0 when every chart drew and the console was clean.
"""
import json, os, shutil, subprocess, sys, tempfile, time, base64, urllib.request
import websocket  # websocket-client (pip)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

MEASURE = r"""
(() => {
  const charts = [];
  for (const f of document.querySelectorAll('figure.chart')) {
    const svg = f.querySelector('svg');
    const marks = svg ? [...svg.querySelectorAll('.mark')] : [];
    let drawn = 0;
    for (const m of marks) {
      const b = m.getBBox();
      const hasGeometry = m.tagName === 'path' ? (m.getAttribute('d') || '').length > 1 && (b.width > 0 || b.height > 0)
                                               : b.width > 0 && b.height > 0;
      if (hasGeometry) drawn++;
    }
    const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    charts.push({chart: f.dataset.chart, marks: marks.length, drawn: drawn,
                 paths: svg ? svg.querySelectorAll('path').length : 0, width: r.width, height: r.height});
  }
  return JSON.stringify({charts: charts, height: document.documentElement.scrollHeight,
                         external: [...document.querySelectorAll('[src],link[href],script')].length});
})()
"""


def main(report, screenshot):
    if CHROMIUM is None:
        sys.exit("chromium is not installed: run scripts/install-deps.sh")
    profile = tempfile.mkdtemp(prefix="report-chromium-")
    browser = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--hide-scrollbars", "--no-first-run", "--remote-debugging-port=0",
                                "--remote-allow-origins=*", f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 60
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if time.time() > deadline or browser.poll() is not None:
                sys.exit("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        target = next(p for p in pages if p["type"] == "page")
        ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60)
        ids = iter(range(1, 1_000_000))
        console = []

        def send(method, **params):
            i = next(ids)
            ws.send(json.dumps({"id": i, "method": method, "params": params}))
            while True:
                msg = json.loads(ws.recv())
                note(msg)
                if msg.get("id") == i:
                    if "error" in msg:
                        sys.exit(f"{method}: {msg['error']}")
                    return msg.get("result", {})

        def note(msg):
            m, p = msg.get("method"), msg.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
                console.append(p["type"] + ": " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m == "Runtime.exceptionThrown":
                console.append("exception: " + p["exceptionDetails"].get("text", "") + " " +
                               str(p["exceptionDetails"].get("exception", {}).get("description", "")))
            elif m == "Log.entryAdded" and p["entry"].get("level") in ("error", "warning"):
                console.append(p["entry"]["level"] + ": " + p["entry"].get("text", ""))

        send("Runtime.enable")
        send("Log.enable")
        send("Page.enable")
        send("Emulation.setDeviceMetricsOverride", width=1100, height=900, deviceScaleFactor=1, mobile=False)
        send("Page.navigate", url="file://" + os.path.abspath(report))
        while True:   # until the page has loaded (messages in between may be console output)
            msg = json.loads(ws.recv())
            note(msg)
            if msg.get("method") == "Page.loadEventFired":
                break
        measured = json.loads(send("Runtime.evaluate", expression=MEASURE, returnByValue=True)["result"]["value"])
        height = min(int(measured["height"]), 16000)
        send("Emulation.setDeviceMetricsOverride", width=1100, height=height, deviceScaleFactor=1, mobile=False)
        shot = send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        ws.close()
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=20)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)
    failed = [c["chart"] for c in measured["charts"] if c["drawn"] == 0 or c["width"] <= 0 or c["height"] <= 0]
    result = {"charts": measured["charts"], "console": console, "undrawn": failed, "external": measured["external"],
              "screenshot": screenshot}
    print(json.dumps(result))
    sys.exit(0 if not failed and not console and measured["charts"] else 1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
