/// The equity curve as CSV: `ts,equity`, one row per step (bar open time, equity at its close).
public enum EquityCurveFormat {
    public static func csv(_ curve: EquityCurve) -> String {
        var out = "ts,equity\n"
        out.reserveCapacity(curve.count * 28)
        for (t, e) in zip(curve.times, curve.equity) {
            out += "\(t),\((e * 1e6).rounded() / 1e6)\n"
        }
        return out
    }
}
