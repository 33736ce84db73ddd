import ArgumentParser
import TradeAPI

struct Params: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Model parameters: show, set (admin), history.",
        subcommands: [Show.self, Set.self, History.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The active parameter set, or a version.")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .long, help: "A version (default: the active one).")
        var version: Int64 = 0

        func run() async throws {
            var request = Tradeengine_V1_GetParametersRequest()
            request.version = version
            let output = connection.output
            try await RPC.run(connection) { engine in
                let response = try await engine.query.getParameters(request, options: .unary)
                output == .json ? Printer.json(response) : Printer.write(Render.parameters(response.parameters))
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change parameters into a new version (admin); a running engine adopts it at its next bar.",
            discussion: """
            Each value may move at most ±20 % from the active version (or the parameter's minimum step) unless --force;
            bounds always hold. Example: tradectl params set models.aggressive.entry_threshold=0.5 --comment "fewer entries"
            """)
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: ArgumentHelp("model.name=value; integers, decimals or true/false.", valueName: "MODEL.NAME=VALUE"))
        var assignments: [String]
        @Option(name: .long, help: "Why (required; kept with the version).")
        var comment = ""
        @Flag(name: .long, help: "Allow moves past the ±20 % step limit (admin; bounds still hold).")
        var force = false

        func run() async throws {
            var request = Tradeengine_V1_SetParametersRequest()
            request.comment = comment
            request.force = force
            for a in assignments {
                let parts = a.split(separator: "=", maxSplits: 1).map(String.init)
                let key = parts.first?.split(separator: ".", maxSplits: 1).map(String.init) ?? []
                guard parts.count == 2, key.count == 2 else { throw ValidationError("'\(a)': write model.name=value") }
                var p = Tradeengine_V1_Parameter()
                p.model = key[0]
                p.name = key[1]
                if let i = Int64(parts[1]) { p.integer = i }
                else if let x = Double(parts[1]) { p.number = x }
                else if parts[1] == "true" || parts[1] == "false" { p.flag = parts[1] == "true" }
                else { throw ValidationError("'\(parts[1])' is not a number or true/false") }
                request.parameters.append(p)
            }
            let output = connection.output
            try await RPC.run(connection) { engine in
                let response = try await engine.control.setParameters(request, options: .unary)
                output == .json ? Printer.json(response) : Printer.write(Render.parameters(response.parameters))
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every parameter version, newest first.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var list: ListOptions

        func run() async throws {
            let (output, list) = (connection.output, self.list)
            try await RPC.run(connection) { engine in
                try await list.collect({ page in
                    var request = Tradeengine_V1_ListParameterVersionsRequest()
                    request.page = page
                    return try await engine.query.listParameterVersions(request, options: .unary)
                }, next: \.page.nextPageToken) { r in
                    output == .json ? Printer.json(r) : Printer.write(Render.parameterVersions(r.versions))
                }
            }
        }
    }
}

struct Rollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore an earlier parameter version as a new version (admin); a running engine adopts it at its next bar.")
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "The version to restore (default: the one before the active).")
    var version: Int64 = 0
    @Option(name: .long, help: "Why.")
    var comment = ""

    func run() async throws {
        var request = Tradeengine_V1_RollbackRequest()
        request.version = version
        request.comment = comment
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.control.rollback(request, options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.parameters(response.parameters))
        }
    }
}
