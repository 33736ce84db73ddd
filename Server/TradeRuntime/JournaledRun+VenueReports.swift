import TradeCore
import TradeEngine
import TradeStore

/// A remote venue's reports — acknowledgements, fills, cancels, refusals — are
/// inputs like candles: each is journaled, with what it caused (the booked fill, the
/// strategy's reaction), in one commit before anyone hears of it, and a resume
/// applies it again at its place. A report that does not fit the engine's book is
/// refused before anything is journaled or changed.
extension JournaledRun {
    public func apply(venueReport report: VenueReport) throws {
        try checkUsable()
        guard state.isActive else { throw RuntimeError("run \(runID) is \(state.rawValue); it takes no venue reports") }
        let entry = try Self.entry(report, engine: engine)
        do { try engine.handleVenueReport(report) } catch {
            throw RuntimeError("the venue's report was refused and changed nothing: \(error.description)")
        }
        var batch = StoreBatch()
        sequence += 1
        batch.journal.append(JournalEntry(sequence: sequence, time: engine.currentTime, event: .venueReport(entry)))
        var touched: Set<Int64> = [report.orderID]
        journalNewOrderEvents(into: &batch, time: engine.currentTime, touched: &touched)
        finishBatch(&batch, touched: touched)
        try commit(batch)
    }

    /// The journal's form of a report (the engine's order gives the client id).
    static func entry(_ report: VenueReport, engine: TradingEngine<S, V>) throws -> VenueReportEntry {
        let i = Int(report.orderID - 1)
        guard i >= engine.orders.startIndex, i < engine.orders.endIndex else {
            throw RuntimeError("the venue reported order \(report.orderID), which this run does not hold")
        }
        let clientID = engine.orders[i].clientOrderID
        switch report {
        case .acknowledged(let id, let venueOrderID):
            return VenueReportEntry(kind: .acknowledged, orderID: id, clientOrderID: clientID, venueID: venueOrderID)
        case .filled(let e):
            return VenueReportEntry(kind: .filled, orderID: e.fill.orderID, clientOrderID: clientID, fill: e.fill, filledQuantity: e.filledQuantity)
        case .cancelled(let id, let reason):
            return VenueReportEntry(kind: .cancelled, orderID: id, clientOrderID: clientID, reason: reason)
        case .rejected(let id, let reason):
            return VenueReportEntry(kind: .rejected, orderID: id, clientOrderID: clientID, reason: reason)
        }
    }

    /// The report a journal entry holds, checked against the order it names.
    static func report(_ e: VenueReportEntry, engine: TradingEngine<S, V>) throws -> VenueReport {
        let i = Int(e.orderID - 1)
        guard i >= engine.orders.startIndex, i < engine.orders.endIndex, engine.orders[i].clientOrderID == e.clientOrderID else {
            throw RuntimeError("a journaled venue report names order \(e.orderID) (\(e.clientOrderID)), which the replayed run does not hold")
        }
        switch e.kind {
        case .acknowledged: return .acknowledged(orderID: e.orderID, venueOrderID: e.venueID)
        case .cancelled: return .cancelled(orderID: e.orderID, reason: e.reason)
        case .rejected: return .rejected(orderID: e.orderID, reason: e.reason)
        case .filled:
            guard let fill = e.fill else { throw RuntimeError("a journaled venue fill of \(e.clientOrderID) has no fill") }
            let complete = e.filledQuantity == engine.orders[i].quantity
            return .filled(VenueExecution(fill: fill, status: complete ? .filled : .partiallyFilled, filledQuantity: e.filledQuantity))
        }
    }
}

extension JournaledRun where V == RemoteVenue {
    /// What the venue is to be told since the last call — orders and cancels the journal
    /// already holds: the sender's to send now.
    public func takeVenueInstructions() -> [RemoteVenue.Instruction] { engine.takeVenueInstructions() }
}
