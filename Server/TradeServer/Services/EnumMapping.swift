import TradeAPI
import TradeCore
import TradeSecurity

/// Domain enums ⇄ wire enums, one place for every pair.
enum EnumMapping {
    static func mode(_ m: StartOptions.Mode) -> Tradeengine_V1_EngineMode {
        switch m {
        case .replay: return .replay
        case .paperOnReplay: return .paperOnReplay
        case .paper: return .paper
        case .live: return .live
        }
    }

    static func speed(_ s: StartOptions.Speed) -> Tradeengine_V1_ReplaySpeed {
        switch s {
        case .realtime: return .realtime
        case .x60: return .x60
        case .max: return .max
        }
    }

    static func side(_ s: OrderSide) -> Tradeengine_V1_OrderSide { s == .buy ? .buy : .sell }

    static func orderType(_ t: OrderType) -> Tradeengine_V1_OrderType {
        switch t {
        case .market: return .market
        case .limit: return .limit
        case .stop: return .stop
        }
    }

    static func orderStatus(_ s: OrderStatus) -> Tradeengine_V1_OrderStatus {
        switch s {
        case .open: return .open
        case .partiallyFilled: return .partiallyFilled
        case .filled: return .filled
        case .cancelled: return .cancelled
        case .rejected: return .rejected
        }
    }

    static func orderStatus(_ s: Tradeengine_V1_OrderStatus) -> OrderStatus? {
        switch s {
        case .open: return .open
        case .partiallyFilled: return .partiallyFilled
        case .filled: return .filled
        case .cancelled: return .cancelled
        case .rejected: return .rejected
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    static func outcome(_ o: SignalOutcome) -> Tradeengine_V1_SignalOutcome {
        switch o {
        case .accepted: return .accepted
        case .rejected: return .rejected
        case .blocked: return .blocked
        case .resized: return .resized
        case .vetoed: return .vetoed
        }
    }

    static func outcome(_ o: Tradeengine_V1_SignalOutcome) -> SignalOutcome? {
        switch o {
        case .accepted: return .accepted
        case .rejected: return .rejected
        case .blocked: return .blocked
        case .resized: return .resized
        case .vetoed: return .vetoed
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    static func bias(_ b: OperatorContext.Bias) -> Tradeengine_V1_MarketBias {
        switch b {
        case .neutral: return .neutral
        case .riskOn: return .riskOn
        case .riskOff: return .riskOff
        }
    }

    static func level(_ l: LogRecord.Level) -> Tradeengine_V1_LogLevel {
        switch l {
        case .debug: return .debug
        case .info: return .info
        case .warning: return .warning
        case .error: return .error
        }
    }

    static func level(_ l: Tradeengine_V1_LogLevel) -> LogRecord.Level? {
        switch l {
        case .debug: return .debug
        case .info: return .info
        case .warning: return .warning
        case .error: return .error
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    static func role(_ r: Role) -> Tradeengine_V1_Role {
        switch r {
        case .viewer: return .viewer
        case .operator: return .operator
        case .admin: return .admin
        }
    }
}
