import ArgumentParser
import Foundation
import TradeAPI
import TradeClient
import TradeSecurity

struct Certs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The engine's certificates, made here without openssl: init, issue, revoke, list.",
        subcommands: [Init.self, Issue.self, RevokeLocal.self, List.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a CA, a server certificate and an admin client certificate.",
            discussion: "Writes ca.pem, ca.key, server.pem, server.key, admin.pem, admin.key (keys 0600). Never overwrites.")
        @Option(name: .long, help: "Folder to write into.")
        var dir = "certs"
        @Option(name: .customLong("dns"), help: ArgumentHelp("Server host name; repeatable (default: localhost).", valueName: "NAME"))
        var dnsNames: [String] = []
        @Option(name: .customLong("ip"), help: ArgumentHelp("Server IP address; repeatable (default: 127.0.0.1).", valueName: "ADDRESS"))
        var ipAddresses: [String] = []
        @Option(name: .customLong("admin-name"), help: "Common name of the first admin certificate.")
        var adminName = "admin"

        func run() throws {
            let folder = CertificateDirectory(path: dir)
            do {
                for f in ["ca.pem", "ca.key", "server.pem", "server.key", "\(adminName).pem", "\(adminName).key"]
                    where FileManager.default.fileExists(atPath: folder.file(f)) {
                    throw SecurityError("\(folder.file(f)) already exists; certs init never replaces a CA. Use `tradectl certs issue` for more client certificates")
                }
                try folder.create()
                let ca = try CertificateAuthority.create()
                let server = try ca.issueServer(dnsNames: dnsNames.isEmpty ? ["localhost"] : dnsNames,
                                                ipAddresses: ipAddresses.isEmpty ? ["127.0.0.1"] : ipAddresses)
                let admin = try ca.issueClient(name: adminName, role: .admin)
                try folder.write(ca.credential, name: "ca")
                try folder.write(server, name: "server")
                try folder.write(admin, name: adminName)
                print("""
                created in \(dir): ca.pem ca.key server.pem server.key \(adminName).pem \(adminName).key
                server certificate for: \((dnsNames.isEmpty ? ["localhost"] : dnsNames) + (ipAddresses.isEmpty ? ["127.0.0.1"] : ipAddresses)) (valid 2 years)
                \(adminName): role admin, serial \(admin.serial) (valid 1 year)
                next: tradeengine serve --certs \(dir)   and   tradectl --ca \(dir)/ca.pem --cert \(dir)/\(adminName).pem --key \(dir)/\(adminName).key status
                keep ca.key offline if you can: whoever has it can issue admin certificates.
                """)
            } catch { RPC.fail(ClientFailure(.invalidArgument, "\(error)")) }
        }
    }

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a client certificate with a role.")
        @Option(name: .long, help: "Folder with ca.pem and ca.key; the new files go there too.")
        var dir = "certs"
        @Option(name: .long, help: "viewer, operator or admin.")
        var role: String
        @Option(name: .long, help: "Certificate name (its CN and file name).")
        var name: String
        @Option(name: .long, help: "Days of validity.")
        var days: Int = 365

        func run() throws {
            guard let r = Role(name: role) else { throw ValidationError("--role must be viewer, operator or admin") }
            guard (1...3650).contains(days) else { throw ValidationError("--days must be 1…3650") }
            let folder = CertificateDirectory(path: dir)
            do {
                let ca = try folder.loadCertificateAuthority()
                let credential = try ca.issueClient(name: name, role: r, lifetime: Double(days) * CertificateLifetimes.day)
                try folder.write(credential, name: name)
                let f = ISO8601DateFormatter()
                print("issued \(folder.certificatePath(name: name)) and \(folder.keyPath(name: name)): role \(r.name), serial \(credential.serial), valid until \(f.string(from: credential.certificate.notValidAfter))")
            } catch { RPC.fail(ClientFailure(.invalidArgument, "\(error)")) }
        }
    }

    struct RevokeLocal: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Add a certificate to the deny list file in --dir (the server re-reads it within seconds).",
            discussion: "For a server on another machine, use `tradectl revoke --serial S` (admin, over the API).")
        @Option(name: .long, help: "Certificate folder.")
        var dir = "certs"
        @Argument(help: "Certificate name in --dir, or a hex serial.")
        var nameOrSerial: String
        @Option(name: .long, help: "Why.")
        var note = ""

        func run() throws {
            let folder = CertificateDirectory(path: dir)
            do {
                let serial: String
                if FileManager.default.fileExists(atPath: folder.certificatePath(name: nameOrSerial)) {
                    serial = SerialNumberText.format(try CertificateDirectory.readCertificate(path: folder.certificatePath(name: nameOrSerial)).serialNumber)
                } else if let s = SerialNumberText.normalize(nameOrSerial) {
                    serial = s
                } else {
                    throw SecurityError("'\(nameOrSerial)' is neither a certificate in \(dir) nor a hex serial")
                }
                var list = try RevocationList.load(path: folder.revocationListPath)
                guard list.add(serial, note: note.isEmpty ? nameOrSerial : note) else {
                    print("\(serial) was already revoked"); return
                }
                try list.save(path: folder.revocationListPath)
                print("revoked \(serial) in \(folder.revocationListPath); the server refuses it at its next handshake")
            } catch { RPC.fail(ClientFailure(.invalidArgument, "\(error)")) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Client certificates in --dir: role, serial, expiry, revoked or not.")
        @Option(name: .long, help: "Certificate folder.")
        var dir = "certs"

        func run() throws {
            let folder = CertificateDirectory(path: dir)
            do {
                let revoked = try RevocationList.load(path: folder.revocationListPath)
                let f = ISO8601DateFormatter()
                var t = Table("NAME", "ROLE", "SERIAL", "EXPIRES", "STATE")
                for (name, cert) in try folder.clientCertificates() {
                    let identity = try? PeerIdentity(certificate: cert)
                    let serial = SerialNumberText.format(cert.serialNumber)
                    let state = revoked.contains(serial) ? "revoked" : Date() > cert.notValidAfter ? "expired" : "valid"
                    t.add(name, identity?.role.name ?? "-", serial, f.string(from: cert.notValidAfter), state)
                }
                Printer.write(t.render())
            } catch { RPC.fail(ClientFailure(.invalidArgument, "\(error)")) }
        }
    }
}

struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Revoke a client certificate on the server, over the API (admin).")
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "Hex serial (from `tradectl certs list`).")
    var serial: String
    @Option(name: .long, help: "Why.")
    var note = ""

    func run() async throws {
        var request = Tradeengine_V1_RevokeCertificateRequest()
        request.serial = serial
        request.note = note
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.control.revokeCertificate(request, options: .unary)
            output == .json ? Printer.json(response) : Printer.write("revoked \(response.revoked.serial) (\(response.revoked.note))\n")
        }
    }
}

struct Revoked: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The server's deny list (admin).")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.control.listRevokedCertificates(Tradeengine_V1_ListRevokedCertificatesRequest(), options: .unary)
            if output == .json { Printer.json(response); return }
            var t = Table("SERIAL", "NOTE")
            for r in response.revoked { t.add(r.serial, r.note) }
            Printer.write(t.render())
        }
    }
}
