import ArgumentParser
import TradeClient

/// Connection and output options shared by every command that talks to a server.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Server address (env TRADECTL_SERVER; default 127.0.0.1:7443).", valueName: "HOST:PORT"))
    var server: String?

    @Option(name: .long, help: ArgumentHelp("CA certificate the server's certificate must chain to (env TRADECTL_CA; default certs/ca.pem).", valueName: "FILE"))
    var ca: String?

    @Option(name: .long, help: ArgumentHelp("Client certificate (env TRADECTL_CERT; default certs/admin.pem).", valueName: "FILE"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp("Client private key (env TRADECTL_KEY; default certs/admin.key).", valueName: "FILE"))
    var key: String?

    @Option(name: .long, help: ArgumentHelp("Named context from the contexts file (env TRADECTL_CONTEXT).", valueName: "NAME"))
    var context: String?

    @Option(name: .long, help: ArgumentHelp("Contexts file (env TRADECTL_CONFIG; default ~/.config/tradectl/config.json).", valueName: "FILE"))
    var config: String?

    @Option(name: .shortAndLong, help: "Output: table (default) or json (one JSON object per line for streams).")
    var output: OutputFormat = .table

    func settings() throws(ClientFailure) -> ConnectionSettings {
        try ConnectionSettings.resolve(.init(server: server, ca: ca, cert: cert, key: key, context: context, configPath: config))
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
