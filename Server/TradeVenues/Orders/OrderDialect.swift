import Foundation
import TradeCore

/// One venue's order API, pure: which call does what, how a call is signed, and
/// how each answer reads in venue-neutral terms. `OrderGateway` does the I/O;
/// a dialect never touches the network, so each one is tested on the venue's
/// documented shapes alone. Binance and Bybit implement it.
public protocol OrderDialect: Sendable {
    var venue: String { get }

    func serverTime() -> VenueCall
    func place(_ request: VenueOrderRequest) -> VenueCall
    func query(symbol: String, clientOrderID: String) -> VenueCall
    func cancel(symbol: String, clientOrderID: String) -> VenueCall
    func openOrders(symbol: String) -> VenueCall
    /// Executions of `symbol` from `startTime` on (Unix ms), oldest first, up to the venue's page.
    func trades(symbol: String, startTime: Int64) -> VenueCall
    func balances() -> VenueCall

    /// The bytes on the wire: parameters, timestamp and receive window, signature, key header.
    func encode(_ call: VenueCall, credentials: VenueCredentials?, timestamp: Int64, recvWindowMs: Int64) -> VenueHTTPRequest

    /// The venue's refusal in `answer`, if it is one (nil: a success to read).
    func refusal(_ answer: VenueHTTPAnswer) -> VenueOrderError?
    /// The used request weight the answer reports, and the venue's limit for it, if it says.
    func usedWeight(_ answer: VenueHTTPAnswer) -> (used: Int, limit: Int)?

    func serverTime(from body: Data) throws(VenueOrderError) -> Int64
    func placement(from body: Data, request: VenueOrderRequest) throws(VenueOrderError) -> VenuePlacement
    /// The order, or nil when the answer says there is none by that id.
    func order(from body: Data, clientOrderID: String) throws(VenueOrderError) -> VenueOrderState?
    func cancelled(from body: Data, symbol: String, clientOrderID: String) throws(VenueOrderError) -> VenueOrderState
    func openOrders(from body: Data) throws(VenueOrderError) -> [VenueOrderState]
    func trades(from body: Data) throws(VenueOrderError) -> [VenueTrade]
    func balances(from body: Data) throws(VenueOrderError) -> [VenueBalance]
}

extension OrderSide {
    /// "BUY" / "SELL" (Binance), "Buy" / "Sell" (Bybit) — read case-insensitively.
    init(venueText text: String, _ what: String) throws(VenueOrderError) {
        switch text.lowercased() {
        case "buy": self = .buy
        case "sell": self = .sell
        default: throw .init(.malformed, "\(what) side is \(text.prefix(20)), not buy or sell")
        }
    }
}
