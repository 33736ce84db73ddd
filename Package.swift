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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SQLite (WAL) for the journal, candles, history and parameter versions (Debian: libsqlite3-dev).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // zlib, for reading .csv.gz candle files (Debian: zlib1g-dev).
        .systemLibrary(name: "CZlib", path: "Server/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // Pure, deterministic domain: no I/O, no clocks, no unseeded randomness.
        .target(name: "TradeCore", path: "Server/TradeCore"),
        // The single-writer engine loop, paper broker and backtest runner.
        .target(name: "TradeEngine", dependencies: ["TradeCore"], path: "Server/TradeEngine"),
        // Reading the outside world: candle files (CSV, CSV.gz, Binance klines).
        .target(name: "TradeVenues", dependencies: ["TradeCore", "CZlib"], path: "Server/TradeVenues"),
        // Persistence: journal, snapshots, candles, history, parameter versions (SQLite via GRDB).
        .target(name: "TradeStore",
                dependencies: ["TradeCore",
                               .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "GRDBSQLite", package: "GRDB.swift")],
                path: "Server/TradeStore"),
        // Running engines for real: journaled replays, snapshots, resume after a crash.
        .target(name: "TradeRuntime", dependencies: ["TradeCore", "TradeEngine", "TradeStore"], path: "Server/TradeRuntime"),
        .executableTarget(
            name: "tradeengine",
            dependencies: ["TradeCore", "TradeEngine", "TradeVenues", "TradeStore", "TradeRuntime",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Server/tradeengine"),
        .executableTarget(
            name: "EngineBenchmark",
            dependencies: ["TradeCore", "TradeEngine", "TradeVenues"],
            path: "Benchmarks/EngineBenchmark"),
        .executableTarget(
            name: "StoreBenchmark",
            dependencies: ["TradeCore", "TradeEngine", "TradeStore", "TradeVenues"],
            path: "Benchmarks/StoreBenchmark"),

        // Shared by the test targets only: locating ../shared, loading reference files.
        .target(name: "TestSupport", dependencies: ["TradeCore", "TradeVenues"], path: "Tests/TestSupport"),
        .testTarget(name: "TradeCoreTests", dependencies: ["TradeCore", "TestSupport"], path: "Tests/TradeCoreTests"),
        .testTarget(name: "TradeEngineTests", dependencies: ["TradeCore", "TradeEngine", "TradeVenues", "TestSupport"],
                    path: "Tests/TradeEngineTests"),
        // Runs the built `tradeengine` binary end to end.
        .testTarget(name: "CommandLineTests", dependencies: ["tradeengine", "TestSupport", "TradeCore", "TradeStore"],
                    path: "Tests/CommandLineTests"),
        .testTarget(name: "TradeVenuesTests", dependencies: ["TradeCore", "TradeVenues", "TestSupport"],
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
