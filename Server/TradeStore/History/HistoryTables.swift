import GRDB
import TradeCore

/// The stored form of each history list (schema v2; the `run` column since v4).
enum Tables {
    static let orders = HistoryTable<OrderRecord>(
        name: "orders",
        columns: ["client_order_id", "model", "symbol", "side", "type", "price", "quantity", "filled_quantity",
                  "status", "reason", "status_message", "updated_at", "engine_id"],
        filtersByModelAndSymbol: true,
        hasRun: true,
        stateColumn: "status",
        values: { o in
            let (type, price) = Codes.orderType(o.type)
            return [o.clientOrderID, o.model, o.symbol, o.side.rawValue, type, price, o.quantity.raw,
                    o.filledQuantity.raw, o.status.rawValue, o.reason, o.statusMessage, o.updatedAt, o.engineID]
        },
        decode: { row in
            var record = OrderRecord(id: row["id"], clientOrderID: row["client_order_id"], time: row["time"], model: row["model"],
                                     symbol: row["symbol"], side: try Codes.side(row["side"]),
                                     type: try Codes.orderType(row["type"], price: row["price"]),
                                     quantity: Quantity(raw: row["quantity"]), filledQuantity: Quantity(raw: row["filled_quantity"]),
                                     status: try Codes.decode(OrderStatus.self, row["status"]), reason: row["reason"],
                                     statusMessage: row["status_message"], updatedAt: row["updated_at"], engineID: row["engine_id"])
            record.run = row["run"]
            return record
        })

    static let fills = HistoryTable<FillRecord>(
        name: "fills",
        columns: ["model", "symbol", "client_order_id", "side", "price", "quantity", "fee", "liquidity", "order_id", "reason", "number"],
        filtersByModelAndSymbol: true,
        hasRun: true,
        values: { f in
            [f.model, f.symbol, f.clientOrderID, f.side.rawValue, f.price.raw, f.quantity.raw, Codes.text(f.fee),
             f.liquidity.rawValue, f.orderID, f.reason, f.number]
        },
        decode: { row in
            var record = FillRecord(id: row["id"], time: row["time"], model: row["model"], symbol: row["symbol"],
                                    clientOrderID: row["client_order_id"], side: try Codes.side(row["side"]),
                                    price: Price(raw: row["price"]), quantity: Quantity(raw: row["quantity"]),
                                    fee: try Codes.money(row["fee"]), liquidity: try Codes.decode(Liquidity.self, row["liquidity"]),
                                    orderID: row["order_id"], reason: row["reason"])
            record.number = row["number"]
            record.run = row["run"]
            return record
        })

    static let trades = HistoryTable<TradeRecord>(
        name: "trades",
        columns: ["model", "symbol", "direction", "entry_time", "quantity", "gross_pnl", "fees", "net_pnl"],
        filtersByModelAndSymbol: true,
        hasRun: true,
        values: { t in
            [t.model, t.symbol, t.direction, t.entryTime, t.quantity.raw, Codes.text(t.grossPnL), Codes.text(t.fees),
             Codes.text(t.netPnL)]
        },
        decode: { row in
            var record = TradeRecord(id: row["id"], time: row["time"], model: row["model"], symbol: row["symbol"],
                                     direction: row["direction"], entryTime: row["entry_time"], quantity: Quantity(raw: row["quantity"]),
                                     grossPnL: try Codes.money(row["gross_pnl"]), fees: try Codes.money(row["fees"]))
            record.run = row["run"]
            return record
        })

    static let signals = HistoryTable<SignalRecord>(
        name: "signals",
        columns: ["model", "symbol", "direction", "confidence", "outcome", "rule", "reasons", "quantity", "order_id", "number"],
        filtersByModelAndSymbol: true,
        hasRun: true,
        stateColumn: "outcome",
        values: { s in
            [s.model, s.symbol, s.direction.rawValue, s.confidence, s.outcome.rawValue, s.rule, s.reasons, s.quantity.raw, s.orderID, s.number]
        },
        decode: { row in
            var record = SignalRecord(id: row["id"], time: row["time"], model: row["model"], symbol: row["symbol"],
                                      direction: try Codes.decode(SignalDirection.self, row["direction"]),
                                      confidence: row["confidence"], outcome: try Codes.decode(SignalOutcome.self, row["outcome"]),
                                      rule: row["rule"], reasons: row["reasons"], quantity: Quantity(raw: row["quantity"]),
                                      orderID: row["order_id"])
            record.number = row["number"]
            record.run = row["run"]
            return record
        })

    static let breakers = HistoryTable<BreakerTransition>(
        name: "breaker_transitions",
        columns: ["model", "symbol", "breaker", "from_state", "to_state", "reason"],
        filtersByModelAndSymbol: true,
        hasRun: true,
        values: { b in [b.model, b.symbol, b.breaker, b.from, b.to, b.reason] },
        decode: { row in
            var record = BreakerTransition(id: row["id"], time: row["time"], model: row["model"], symbol: row["symbol"],
                                           breaker: row["breaker"], from: row["from_state"], to: row["to_state"], reason: row["reason"])
            record.run = row["run"]
            return record
        })

    static let audit = HistoryTable<AuditEntry>(
        name: "audit_log",
        columns: ["caller", "role", "method", "request", "outcome"],
        filtersByModelAndSymbol: false,
        hasRun: false,
        values: { a in [a.caller, a.role, a.method, a.request, a.outcome] },
        decode: { row in
            AuditEntry(id: row["id"], time: row["time"], caller: row["caller"], role: row["role"], method: row["method"],
                       request: row["request"], outcome: row["outcome"])
        })
}

/// Text forms of domain values in history rows.
enum Codes {
    /// Exact decimal: `Money` needs 128 bits, more than an SQLite integer holds.
    static func text(_ money: Money) -> String { formatScaledDecimal(money.raw, scaleDigits: 16) }

    static func money(_ text: String) throws -> Money {
        guard let m = Money(text) else { throw undecodable("amount", text) }
        return m
    }

    static func orderType(_ type: OrderType) -> (name: String, price: Int64?) {
        switch type {
        case .market: return ("MARKET", nil)
        case .limit(let p): return ("LIMIT", p.raw)
        case .stop(let p): return ("STOP", p.raw)
        }
    }

    static func orderType(_ name: String, price: Int64?) throws -> OrderType {
        switch (name, price) {
        case ("MARKET", nil): return .market
        case ("LIMIT", let p?): return .limit(Price(raw: p))
        case ("STOP", let p?): return .stop(Price(raw: p))
        default: throw undecodable("order type", "\(name) \(price.map(String.init) ?? "without price")")
        }
    }

    static func side(_ text: String) throws -> OrderSide { try decode(OrderSide.self, text) }

    static func decode<T: RawRepresentable>(_ type: T.Type, _ text: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: text) else { throw undecodable(String(describing: T.self), text) }
        return value
    }

    static func undecodable(_ what: String, _ text: String) -> TradeStoreError {
        TradeStoreError(.undecodable, "a stored \(what) '\(text)' is not one this build knows")
    }
}
