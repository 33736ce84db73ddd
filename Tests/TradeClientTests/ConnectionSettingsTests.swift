import Foundation
import Testing
@testable import TradeClient

@Suite struct ConnectionSettingsTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tradectl-\(UUID().uuidString)").path

    func writeContexts(_ json: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/config.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let contexts = """
    { "current_context": "local",
      "contexts": { "local": { "server": "127.0.0.1:7443", "ca": "local/ca.pem", "cert": "local/me.pem", "key": "local/me.key" },
                    "prod": { "server": "10.0.0.5:9443", "ca": "/etc/te/ca.pem" } } }
    """

    @Test func flagsBeatEnvironmentBeatContextBeatDefaults() throws {
        let path = try writeContexts(Self.contexts)
        let env = ["TRADECTL_CONFIG": path, "TRADECTL_CERT": "/env/cert.pem"]
        let s = try ConnectionSettings.resolve(.init(server: "1.2.3.4:1"), environment: env)
        #expect(s.server == "1.2.3.4:1")                 // flag
        #expect(s.certificatePath == "/env/cert.pem")    // environment
        #expect(s.caPath == folder + "/local/ca.pem")    // current context, relative to the file
        #expect(s.contextName == "local")
        let prod = try ConnectionSettings.resolve(.init(context: "prod"), environment: env)
        #expect(prod.server == "10.0.0.5:9443" && prod.caPath == "/etc/te/ca.pem")
        #expect(prod.keyPath == "certs/admin.key")        // default
    }

    @Test func anUnknownContextOrKeyIsAnError() throws {
        let path = try writeContexts(Self.contexts)
        #expect(throws: ClientFailure.self) { try ConnectionSettings.resolve(.init(context: "staging", configPath: path), environment: [:]) }
        let bad = try writeContexts(#"{ "contexts": { "x": { "sever": "typo" } } }"#)
        #expect(throws: ClientFailure.self) { try ConnectionSettings.resolve(.init(configPath: bad), environment: [:]) }
        #expect(throws: ClientFailure.self) {
            try ConnectionSettings.resolve(.init(context: "x", configPath: folder + "/missing.json"), environment: [:])
        }
    }

    @Test func serverAddressesParse() throws {
        #expect(try ConnectionSettings(server: "127.0.0.1:7443").hostAndPort() == ("127.0.0.1", 7443))
        #expect(try ConnectionSettings(server: "[::1]:9000").hostAndPort() == ("::1", 9000))
        #expect(try ConnectionSettings(server: "engine.lan").hostAndPort() == ("engine.lan", 7443))
        #expect(throws: ClientFailure.self) { try ConnectionSettings(server: "host:notaport").hostAndPort() }
    }

    @Test func failureKindsHaveTheDocumentedExitCodes() {
        #expect(ClientFailure.Kind.connection.rawValue == 3)
        #expect(ClientFailure.Kind.permissionDenied.rawValue == 4)
        #expect(ClientFailure.Kind.invalidArgument.rawValue == 5)
        #expect(ClientFailure.Kind.failedPrecondition.rawValue == 6)
    }

    @Test func timesParse() {
        #expect(TimeText.parse("1735689600000") == Date(timeIntervalSince1970: 1_735_689_600))
        #expect(TimeText.parse("2025-01-01") == Date(timeIntervalSince1970: 1_735_689_600))
        #expect(TimeText.parse("2025-01-01T00:01:00Z") == Date(timeIntervalSince1970: 1_735_689_660))
        #expect(TimeText.parse("yesterday") == nil)
    }
}
