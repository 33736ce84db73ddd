// swift-tools-version:6.1
import PackageDescription

// Layout follows docs/ARCHITECTURE.md: the product's shape at the top level
// (Server/, Client/, Protos/, Tests/, Benchmarks/), SwiftPM targets pointing
// into it with `path:`. Arrows point down: TradeCore knows nothing of files,
// gzip, SQLite, gRPC or exchanges.
let package = Package(
    name: "tradeengine",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tradeengine", targets: ["tradeengine"]),
        .executable(name: "tradectl", targets: ["tradectl"]),
        .library(name: "TradeClient", targets: ["TradeClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SQLite (WAL) for the journal, candles, history and parameter versions (Debian: libsqlite3-dev).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The control plane: gRPC over HTTP/2 (Posix, NIO), protobuf messages, mTLS.
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Certificates without openssl: X.509 issuance and verification, P-256 keys.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Operating it: metrics (swift-metrics, exposed in Prometheus' format on a
        // NIO HTTP/1 listener), structured logs (swift-log), alerts to webhooks
        // (AsyncHTTPClient).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // The HTML report: a logic-less template (Mustache) around inline SVG charts.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The exchange simulator's REST and WebSocket server (one port, the venues' own paths).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // zlib, for reading .csv.gz candle files (Debian: zlib1g-dev).
        .systemLibrary(name: "CZlib", path: "Server/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // Pure, deterministic domain: no I/O, no clocks, no unseeded randomness.
        .target(name: "TradeCore", path: "Server/TradeCore"),
        // The single-writer engine loop, paper broker and backtest runner.
        .target(name: "TradeEngine", dependencies: ["TradeCore"], path: "Server/TradeEngine"),
        // The HTML report of backtest, sweep and walkforward: one self-contained
        // file, charts drawn as inline SVG, laid out by a Mustache template.
        .target(name: "TradeReport",
                dependencies: ["TradeCore", "TradeEngine", .product(name: "Mustache", package: "swift-mustache")],
                path: "Server/TradeReport"),
        // The exchange simulator (`tradeengine venue-sim`): Binance's wire protocol
        // served on loopback over replayed candles, with a matching engine, accounts
        // and a fault schedule, for the adapters' tests and for clients we did not write.
        .target(name: "TradeVenueSim",
                dependencies: ["TradeCore", "TradeVenues",
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "HummingbirdCore", package: "hummingbird"),
                               .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                               .product(name: "HTTPTypes", package: "swift-http-types"),
                               .product(name: "Crypto", package: "swift-crypto")],
                path: "Server/TradeVenueSim"),
        // Reading the outside world: candle files, and the venues' live market data
        // (REST backfill through AsyncHTTPClient, kline streams through swift-websocket's client).
        .target(name: "TradeVenues",
                dependencies: ["TradeCore", "TradeEngine", "CZlib",
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOHTTP1", package: "swift-nio"),
                               .product(name: "Crypto", package: "swift-crypto")],
                path: "Server/TradeVenues"),
        // Persistence: journal, snapshots, candles, history, parameter versions (SQLite via GRDB).
        .target(name: "TradeStore",
                dependencies: ["TradeCore",
                               .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "GRDBSQLite", package: "GRDB.swift")],
                path: "Server/TradeStore"),
        // Running engines for real: journaled replays, snapshots, resume after a crash.
        .target(name: "TradeRuntime", dependencies: ["TradeCore", "TradeEngine", "TradeStore", "TradeVenues"], path: "Server/TradeRuntime"),
        // Generated from Protos/ by scripts/generate-protos.sh and committed, so a
        // clone builds without protoc (no build plugin: it would compile protoc).
        .target(name: "TradeAPI",
                dependencies: [.product(name: "GRPCCore", package: "grpc-swift-2"),
                               .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                               .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                path: "Protos/Generated"),
        // Certificates without openssl: the CA, issuance, roles, the deny list and
        // handshake-time validation. Shared by the server and `tradectl certs`.
        .target(name: "TradeSecurity",
                dependencies: [.product(name: "X509", package: "swift-certificates"),
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "SwiftASN1", package: "swift-asn1")],
                path: "Server/TradeSecurity"),
        // The control plane: gRPC services, mTLS, authorization, audit, the event
        // bus and the replay engine host behind the EngineHosting protocol.
        .target(name: "TradeServer",
                dependencies: ["TradeCore", "TradeEngine", "TradeVenues", "TradeStore", "TradeRuntime", "TradeAPI", "TradeSecurity",
                               .product(name: "GRPCCore", package: "grpc-swift-2"),
                               .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                               .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                               .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                               .product(name: "NIOSSL", package: "swift-nio-ssl"),
                               .product(name: "X509", package: "swift-certificates"),
                               .product(name: "SwiftASN1", package: "swift-asn1"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "NIOHTTP1", package: "swift-nio"),
                               .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "Prometheus", package: "swift-prometheus"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "AsyncHTTPClient", package: "async-http-client")],
                path: "Server/TradeServer"),
        .executableTarget(
            name: "tradeengine",
            dependencies: ["TradeCore", "TradeEngine", "TradeVenues", "TradeStore", "TradeRuntime", "TradeServer", "TradeReport", "TradeVenueSim",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Server/tradeengine"),
        // A typed client for scripts and tradectl: connection settings, contexts, mTLS.
        .target(name: "TradeClient",
                dependencies: ["TradeAPI", "TradeSecurity",
                               .product(name: "GRPCCore", package: "grpc-swift-2"),
                               .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                               .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                               .product(name: "X509", package: "swift-certificates")],
                path: "Client/TradeClient"),
        .executableTarget(
            name: "tradectl",
            dependencies: ["TradeClient", "TradeAPI", "TradeSecurity",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "GRPCCore", package: "grpc-swift-2"),
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Client/tradectl"),
        .executableTarget(
            name: "EngineBenchmark",
            dependencies: ["TradeCore", "TradeEngine", "TradeVenues"],
            path: "Benchmarks/EngineBenchmark"),
        .executableTarget(
            name: "StoreBenchmark",
            dependencies: ["TradeCore", "TradeEngine", "TradeStore", "TradeVenues"],
            path: "Benchmarks/StoreBenchmark"),

        .executableTarget(
            name: "ControlPlaneBenchmark",
            dependencies: ["TradeServer", "TradeSecurity", "TradeAPI", "TradeEngine", "TradeStore",
                           .product(name: "GRPCCore", package: "grpc-swift-2"),
                           .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport")],
            path: "Benchmarks/ControlPlaneBenchmark"),
        .executableTarget(
            name: "PaperLatencyBenchmark",
            dependencies: ["TradeServer", "TradeCore", "TradeStore", "TradeVenueSim", "TradeVenues"],
            path: "Benchmarks/PaperLatencyBenchmark"),

        // Shared by the test targets only: locating ../shared, loading reference files.
        .target(name: "TestSupport", dependencies: ["TradeCore", "TradeVenues"], path: "Tests/TestSupport"),
        .testTarget(name: "TradeCoreTests", dependencies: ["TradeCore", "TestSupport"], path: "Tests/TradeCoreTests"),
        .testTarget(name: "TradeEngineTests", dependencies: ["TradeCore", "TradeEngine", "TradeVenues", "TestSupport"],
                    path: "Tests/TradeEngineTests"),
        // Runs the built `tradeengine` binary end to end.
        .testTarget(name: "CommandLineTests", dependencies: ["tradeengine", "TestSupport", "TradeCore", "TradeStore"],
                    path: "Tests/CommandLineTests"),
        .testTarget(name: "TradeServerTests",
                    dependencies: ["TradeServer", "TradeCore", "TradeEngine", "TradeVenues", "TradeStore", "TradeRuntime", "TradeAPI", "TradeSecurity", "TestSupport",
                                   .product(name: "GRPCCore", package: "grpc-swift-2"),
                                   // A loopback webhook receiver for the alert tests.
                                   .product(name: "NIOCore", package: "swift-nio"),
                                   .product(name: "NIOPosix", package: "swift-nio"),
                                   .product(name: "NIOHTTP1", package: "swift-nio"),
                                   .product(name: "Logging", package: "swift-log")],
                    path: "Tests/TradeServerTests"),
        // Start the real server binary and drive it with the real tradectl binary
        // (both are dependencies, so SwiftPM builds them for the tests).
        .testTarget(name: "EndToEndTests",
                    dependencies: ["tradeengine", "tradectl", "TradeAPI", "TradeSecurity", "TradeStore", "TestSupport",
                                   "TradeCore", "TradeVenues", .product(name: "Logging", package: "swift-log"),
                                   .product(name: "GRPCCore", package: "grpc-swift-2"),
                                   .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                                   .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf")],
                    path: "Tests/EndToEndTests"),
        .testTarget(name: "TradeReportTests", dependencies: ["TradeReport", "TradeCore", "TradeEngine", "TestSupport"],
                    path: "Tests/TradeReportTests"),
        .testTarget(name: "TradeVenueSimTests", dependencies: ["TradeVenueSim", "TradeCore", "TradeVenues", "TestSupport",
                                                            .product(name: "Crypto", package: "swift-crypto")],
                    path: "Tests/TradeVenueSimTests"),
        .testTarget(name: "TradeClientTests", dependencies: ["TradeClient"], path: "Tests/TradeClientTests"),
        .testTarget(name: "TradeSecurityTests", dependencies: ["TradeSecurity"], path: "Tests/TradeSecurityTests"),
        .testTarget(name: "TradeVenuesTests", dependencies: ["TradeCore", "TradeEngine", "TradeStore", "TradeRuntime", "TradeVenues",
                                                          "TradeVenueSim", "TestSupport"],
                    path: "Tests/TradeVenuesTests"),
        .testTarget(name: "TradeRuntimeTests",
                    dependencies: ["TradeCore", "TradeEngine", "TradeStore", "TradeRuntime", "TestSupport"],
                    path: "Tests/TradeRuntimeTests"),
        .testTarget(name: "TradeStoreTests",
                    dependencies: ["StoreCrashHelper", "TradeCore", "TradeStore", "TradeEngine", "TradeVenues", "TestSupport"],
                    path: "Tests/TradeStoreTests"),
        // A child process for the durability test: appends to a journal until it is killed.
        .executableTarget(name: "StoreCrashHelper", dependencies: ["TradeCore", "TradeStore", "TradeVenues"],
                          path: "Tests/StoreCrashHelper"),
    ]
)
