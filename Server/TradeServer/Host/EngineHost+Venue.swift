import Foundation
import TradeCore
import TradeEngine
import TradeRuntime

/// A live run's traffic with its venue, driven by the host loop after each commit:
/// the journaled orders go out, the venue's answers come back in (journaled by the
/// run before they count), open orders are polled, and the run is reconciled with
/// the venue on start, restart, every feed reconnect and after any call whose
/// outcome is unknown. Until a reconciliation succeeds entries are frozen (a
/// journaled pause the host lifts itself); exits keep going out.
extension EngineHost {
    /// How often a live run asks the venue about its open orders.
    static var pollInterval: Duration { .seconds(1) }
    /// How a live run's message starts while frozen for a pending reconciliation.
    static let reconcileFreezePrefix = "reconciliation pending"

    /// Compares the run's open orders with the venue's and says what it found in status.
    func reconcile(_ run: ReplayRun, why: String) async {
        guard let link = run.hosted.venueLink else { return }
        await withVenue(run) {
            do {
                let found = try await link.reconcile()
                run.needsReconcile = false
                run.reconciliation = "\(why) at \(Self.wallTime(clock.nowMs)): \(found)"
                log(found.unknownAtVenue.isEmpty ? .info : .error, "reconciled with \(link.venue) (\(why)): \(found)")
                if run.frozenByReconcile {
                    run.frozenByReconcile = false
                    if run.hosted.state == .paused, run.hosted.message.hasPrefix("paused: \(Self.reconcileFreezePrefix)") {
                        try? command { try run.hosted.apply(.resume) }
                    }
                }
            } catch {
                run.needsReconcile = true
                run.reconciliation = "\(why) at \(Self.wallTime(clock.nowMs)): pending — \(error)"
                log(.warning, "reconciliation with \(link.venue) failed (\(why)): \(error); entries stay frozen until it succeeds")
                if run.hosted.state == .running {
                    try? command { try run.hosted.apply(.pauseEntries(reason: "\(Self.reconcileFreezePrefix) (\(why)): \(error)")) }
                    run.frozenByReconcile = true
                }
            }
        }
        publishCommitted(run)
        publishStatus()
    }

    /// Sends what the last commits journaled and, once a second, polls the open orders.
    func exchange(_ run: ReplayRun) async {
        guard let link = run.hosted.venueLink else { return }
        if let live = run.live {
            let reconnects = live.buffer.status.reconnects
            if reconnects != run.reconnectsSeen {
                run.reconnectsSeen = reconnects
                run.needsReconcile = true
                run.reconcileReason = "feed reconnect"
            }
        }
        if run.needsReconcile || !link.unsettled.isEmpty {
            // A failed attempt is retried at the poll interval, not on every turn.
            guard run.lastReconcileAttempt.map({ clock.now - $0 >= Self.pollInterval }) ?? true else { return }
            run.lastReconcileAttempt = clock.now
            await reconcile(run, why: link.unsettled.isEmpty ? run.reconcileReason : "unanswered order")
            return
        }
        await withVenue(run) {
            do {
                try await link.send()
                if clock.now - run.lastPoll >= Self.pollInterval {
                    run.lastPoll = clock.now
                    try await link.poll()
                }
            } catch {
                log(.warning, "\(link.venue): \(error); reconciling")
                run.needsReconcile = true
                run.reconcileReason = "venue error"
            }
        }
        publishCommitted(run)
    }

    /// One conversation with the venue at a time: the loop, a stop's flatten and a
    /// reconciliation take turns (the actor is free while one waits on the venue).
    private func withVenue(_ run: ReplayRun, _ body: () async -> Void) async {
        while run.venueBusy { try? await clock.sleep(for: .milliseconds(5)) }
        run.venueBusy = true
        defer { run.venueBusy = false }
        await body()
    }

    static func wallTime(_ ms: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
