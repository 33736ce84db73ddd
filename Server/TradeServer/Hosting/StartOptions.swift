import TradeCore
/// How to start a run (ControlService.Start, after validation).
public struct StartOptions: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable {
        /// Recorded candles through the paper broker.
        case replay
        /// The same data paced as if live; paper fills.
        case paperOnReplay = "paper-on-replay"
        /// Live candles from a venue (its REST backfill and kline stream); paper fills.
        case paper
        /// Live candles from a venue, and real orders on its account (admin only, confirmed).
        case live

        /// Whether the mode trades a venue's live candles.
        public var isOnVenue: Bool { self == .paper || self == .live }
    }

    public enum Source: Sendable, Equatable {
        case files([String])
        case store(symbols: [String], interval: String)
        /// A venue's live one-minute klines; `endpoint` nil = the real venue (or its testnet).
        case venue(VenueSelection)
    }

    public struct VenueSelection: Sendable, Equatable {
        public var venue: String
        public var symbols: [String]
        public var endpoint: String?
        public var testnet: Bool
        /// The symbols' trading rules as the venue's filters gave them when the run started
        /// (read by the host at start and recorded with the run; nil until then).
        public var instruments: [Instrument]?

        public init(venue: String, symbols: [String], endpoint: String? = nil, testnet: Bool = false, instruments: [Instrument]? = nil) {
            self.venue = venue
            self.symbols = symbols
            self.endpoint = endpoint
            self.testnet = testnet
            self.instruments = instruments
        }
    }

    public enum Speed: String, Sendable, Equatable {
        case realtime = "1x", x60 = "60x", max

        /// Wall seconds per second of candle time; 0 = no pacing.
        public var wallSecondsPerMarketSecond: Double {
            switch self {
            case .realtime: return 1
            case .x60: return 1.0 / 60
            case .max: return 0
            }
        }
    }

    public var mode: Mode
    public var source: Source
    public var speed: Speed
    /// Models to enable; empty = all the host knows.
    public var models: [String]
    /// Optional window [from, to) in Unix ms.
    public var from: Int64?
    public var to: Int64?
    /// A live start only: the caller confirmed that real orders go to the venue.
    public var confirmLive: Bool

    public init(mode: Mode, source: Source, speed: Speed, models: [String] = [], from: Int64? = nil, to: Int64? = nil,
                confirmLive: Bool = false) {
        self.confirmLive = confirmLive
        self.mode = mode
        self.source = source
        self.speed = speed
        self.models = models
        self.from = from
        self.to = to
    }
}
