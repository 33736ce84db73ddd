import Foundation
import TradeCore
import TradeEngine

/// What the run has already alerted on, so each state change alerts once.
/// A run taken up after a restart starts from what it holds (no alerts for history).
struct AlertWatermarks {
    var breakerTransitions = 0
    var edgeAlerts = 0
    var killSwitchEvents = 0
    /// Each model's last degradation grade, by name.
    var grades: [String: DegradationSeverity] = [:]
    var staleSymbols: Set<String> = []
    var failureAlerted = false

    init(_ records: (any StrategyRecords)?) {
        guard let m = records else { return }
        breakerTransitions = m.breakerTransitions.count
        edgeAlerts = m.edgeAlerts.count
        killSwitchEvents = m.killSwitchEvents.count
        for model in m.modelStates(at: m.recordsTime) { grades[model.name] = model.severity }
    }
}

extension EngineHost {
    /// Sends alerts from now on (`serve` with an `"alerts"` config section).
    public func attach(alerts: AlertDispatcher) { self.alerts = alerts }

    func raise(_ alert: Alert) {
        guard let alerts else { return }
        var alert = alert
        if let run { alert.fields["run"] = "\(run.id)" }
        alerts.raise(alert)
    }

    /// Alerts on what the run's last steps changed: kill-switch trips, breaker
    /// transitions to ALERT or worse, degradation grades reaching SEVERE,
    /// edge-decay alerts, symbols frozen by the stale-data guard, a failed run.
    func checkAlerts(_ run: ReplayRun) {
        guard alerts != nil else { return }
        if let failure = run.failure, !run.alerts.failureAlerted {
            run.alerts.failureAlerted = true
            raise(Alert(kind: "database", severity: .critical, title: "run \(run.id) stopped: the database refused a write",
                        text: failure))
        }
        guard let m = run.hosted.records else { return }
        var w = run.alerts
        defer { run.alerts = w }
        for e in m.killSwitchEvents.dropFirst(w.killSwitchEvents) {
            raise(Alert(kind: "kill_switch", severity: .critical, title: "kill switch tripped",
                        text: String(format: "loss %.2f USDT at equity %.2f (%@); %d positions flattened, entries blocked until resume",
                                     e.loss, e.equity, Self.utc(e.time), e.positionsFlattened),
                        fields: ["loss": String(format: "%.2f", e.loss)]))
        }
        w.killSwitchEvents = m.killSwitchEvents.count
        for t in m.breakerTransitions.dropFirst(w.breakerTransitions) where t.to >= .alert && t.to > t.from {
            raise(Alert(kind: "breaker", severity: t.to >= .halt ? .critical : .warning,
                        title: "\(t.model.name) breaker \(t.from) → \(t.to)",
                        text: "trigger \(t.trigger), degradation \(t.severity), at \(Self.utc(t.time))",
                        fields: ["model": t.model.name, "state": "\(t.to)"]))
        }
        w.breakerTransitions = m.breakerTransitions.count
        for a in m.edgeAlerts.dropFirst(w.edgeAlerts) where a.raised {
            raise(Alert(kind: "edge_decay", severity: .warning, title: "\(a.model.name): edge decay",
                        text: String(format: "30-day Sharpe %.2f at %@", a.sharpe, Self.utc(a.time)), fields: ["model": a.model.name]))
        }
        w.edgeAlerts = m.edgeAlerts.count
        for model in m.modelStates(at: m.recordsTime) {
            let grade = model.severity
            if grade >= .severe && grade > w.grades[model.name, default: .none] {
                raise(Alert(kind: "degradation", severity: grade == .critical ? .critical : .warning,
                            title: "\(model.name) degradation \(grade)", text: "the model's recent trades are graded \(grade)",
                            fields: ["model": model.name]))
            }
            w.grades[model.name] = grade
        }
        let stale = Set(m.staleSymbols.map { run.symbols[$0] })
        for symbol in stale.subtracting(w.staleSymbols).sorted() {
            raise(Alert(kind: "stale_feed", severity: .warning, title: "\(symbol): stale feed, entries frozen",
                        text: "the stale-data guard froze entries in \(symbol) at \(Self.utc(m.recordsTime))", fields: ["symbol": symbol]))
        }
        w.staleSymbols = stale
    }

    static func utc(_ ms: Int64) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
