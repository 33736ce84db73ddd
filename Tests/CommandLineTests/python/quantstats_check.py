"""Checks a backtest report's metrics against quantstats, a library we did not
write, fed the run's own equity curve (backtest --equity).

Conventions (ours, stated so quantstats computes the same thing):
- daily returns: equity at each UTC day's last bar over the previous day's
  (the first day over the initial cash); risk-free rate 0;
- Sharpe and Sortino: those daily returns, annualised with 365 periods;
- CAGR: years = days / 365.25 (the run must cover whole UTC days, where the
  day count of both agrees), so quantstats' periods = 365.25;
- total return: compounded daily returns;
- maximum drawdown: on every bar's equity (intraday troughs count), from the
  initial cash; Calmar = CAGR / maximum drawdown.
Prints one line per metric and "N passed, M failed"; exits 1 on any failure.

usage: quantstats_check.py REPORT.json EQUITY.csv [tolerance]
"""
import json
import sys

import pandas as pd
import quantstats.stats as qs

report, curve = sys.argv[1], sys.argv[2]
tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-6
r = json.load(open(report))
m = r["metrics"]
start = float(r["initial_cash"])
eq = pd.read_csv(curve)
equity = pd.Series(eq["equity"].values, index=pd.to_datetime(eq["ts"], unit="ms", utc=True))

daily_close = equity.resample("D").last().dropna()
daily = pd.Series([start] + list(daily_close.values)).pct_change().dropna()
daily.index = daily_close.index
per_bar = pd.Series([start] + list(equity.values)).pct_change().dropna()
per_bar.index = equity.index

assert abs(m["days"] - len(daily)) < 1e-9, f"the run must cover whole UTC days: {m['days']} days, {len(daily)} daily returns"

cagr = qs.cagr(daily, periods=365.25)
max_dd = -qs.max_drawdown(per_bar)
checks = {
    "total_return": (qs.comp(daily), m["total_return"]),
    "cagr": (cagr, m["cagr"]),
    "sharpe": (qs.sharpe(daily, rf=0.0, periods=365), m["sharpe"]),
    "sortino": (qs.sortino(daily, rf=0.0, periods=365), m["sortino"]),
    "max_drawdown": (max_dd, m["max_drawdown"]),
    "calmar": (cagr / max_dd, m["calmar"]),
}
passed = failed = 0
for name, (theirs, ours) in checks.items():
    rel = abs(theirs - ours) / max(abs(ours), 1e-12)
    ok = rel <= tolerance
    passed += ok
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name}: quantstats {theirs:.12g}, ours {ours:.12g}, relative difference {rel:.2e}")
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
