import AsyncHTTPClient
import Foundation
import NIOCore
import TradeCore

/// Reads the symbols' trading rules — tick, lot step, minimum notional — from
/// the venue's own filters (Binance's exchangeInfo, Bybit's instruments-info)
/// when a run starts, so paper fills are rounded and refused as the venue
/// would. A few tries, then a clear failure: a run does not start on rules it
/// could not read. (The run records what it read; a restart uses the record,
/// so a replay of its journal meets the same rules.)
public enum VenueInstruments {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The venue does not list the symbol.
        case unknownSymbol(String)
        /// The venue could not be read (after retrying) or answered something unreadable.
        case unreadable(String)

        public var description: String {
            switch self {
            case .unknownSymbol(let s): return s
            case .unreadable(let s): return s
            }
        }
    }

    /// The rules of each of `symbols`, in order.
    public static func fetch(_ dialect: any MarketDataDialect, endpoint: String, symbols: [String],
                             timeout: Duration = .seconds(10), attempts: Int = 3) async throws(Failure) -> [Instrument] {
        var out: [Instrument] = []
        for symbol in symbols {
            let url = endpoint.trimmingSuffix("/") + dialect.instrumentRequest(symbol: symbol)
            var last = ""
            var found: Instrument??
            for attempt in 0..<attempts {
                if attempt > 0 { try? await Task.sleep(for: .milliseconds(500 << (attempt - 1))) }
                do {
                    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
                    let body = Data(try await response.body.collect(upTo: 8 << 20).readableBytesView)
                    // A venue names an unknown symbol with a 400 and its own code; anything else but 200 is worth a retry.
                    guard response.status.code == 200 || response.status.code == 400 else {
                        last = "HTTP \(response.status.code) \(String(decoding: body.prefix(200), as: UTF8.self))"
                        continue
                    }
                    do {
                        found = .some(try dialect.instrument(symbol: symbol, from: body))
                    } catch {
                        // A refusal (Bybit's retCode) for a symbol it does not list reads as unknown; other bodies are unreadable.
                        if error.kind == .refused { found = .some(nil) } else { throw Failure.unreadable("\(dialect.venue) \(symbol): \(error.description)") }
                    }
                    break
                } catch let failure as Failure {
                    throw failure
                } catch {
                    last = "\(error)"
                }
            }
            guard let result = found else { throw .unreadable("\(dialect.venue) did not answer for \(symbol)'s rules at \(url): \(last)") }
            guard let instrument = result else { throw .unknownSymbol("\(dialect.venue) does not list \(symbol)") }
            out.append(instrument)
        }
        return out
    }
}
