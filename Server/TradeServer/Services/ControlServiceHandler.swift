import Foundation
import GRPCCore
import TradeAPI
import TradeSecurity

/// tradeengine.v1.ControlService: validates each command, hands it to the host
/// and maps the answer. Authorization and auditing happen before and after, in
/// `AuthorizationInterceptor`; this type only decides what a valid request is.
struct ControlServiceHandler: Tradeengine_V1_ControlService.SimpleServiceProtocol {
    let host: any EngineHosting
    let revocations: RevocationAdmin

    private var caller: String { CallerIdentity.current?.commonName ?? "" }

    func start(request: Tradeengine_V1_StartRequest, context: ServerContext) async throws -> Tradeengine_V1_StartResponse {
        let mode: StartOptions.Mode
        switch request.mode {
        case .replay: mode = .replay
        case .paperOnReplay: mode = .paperOnReplay
        case .paper: mode = .paper
        case .live:
            // Real money: the admin role, whatever the policy lets operators start.
            guard let who = CallerIdentity.current, who.role >= .admin else {
                throw RPCError(code: .permissionDenied, message: "live mode needs the admin role (this certificate is \(CallerIdentity.current.map { "\($0.role)" } ?? "unknown"))")
            }
            mode = .live
        case .unspecified, .UNRECOGNIZED: throw RequestValidation.invalid("mode is required: REPLAY, PAPER_ON_REPLAY, PAPER or LIVE")
        }
        let speed: StartOptions.Speed
        switch request.speed {
        case .realtime: speed = .realtime
        case .x60: speed = .x60
        case .max: speed = .max
        case .unspecified, .UNRECOGNIZED:
            // A paper run goes at the market's pace; a speed means nothing there.
            guard mode.isOnVenue else { throw RequestValidation.invalid("speed is required: REALTIME (1x), X60 or MAX") }
            speed = .realtime
        }
        let source: StartOptions.Source
        switch request.source {
        case .files(let f)?:
            guard !f.paths.isEmpty else { throw RequestValidation.invalid("files.paths is empty: give at least one candle file") }
            source = .files(f.paths)
        case .store(let s)?:
            guard !s.symbols.isEmpty else { throw RequestValidation.invalid("store.symbols is empty") }
            source = .store(symbols: s.symbols, interval: s.interval)
        case .venue(let v)?:
            guard !v.venue.isEmpty else { throw RequestValidation.invalid("venue.venue is required: binance or bybit") }
            guard !v.symbols.isEmpty else { throw RequestValidation.invalid("venue.symbols is empty: give at least one symbol") }
            source = .venue(StartOptions.VenueSelection(venue: v.venue, symbols: v.symbols,
                                                        endpoint: v.endpoint.isEmpty ? nil : v.endpoint, testnet: v.testnet))
        case nil:
            throw RequestValidation.invalid("a source is required: files (candle files on the server), store, or venue (paper mode)")
        }
        var options = StartOptions(mode: mode, source: source, speed: speed, models: request.models, confirmLive: request.confirmLive)
        if request.hasFrom { options.from = try RequestValidation.time(request.from, field: "from") }
        if request.hasTo { options.to = try RequestValidation.time(request.to, field: "to") }
        var response = Tradeengine_V1_StartResponse()
        response.status = StatusMapping.status(try await hosted { try await host.start(options) })
        return response
    }

    func stop(request: Tradeengine_V1_StopRequest, context: ServerContext) async throws -> Tradeengine_V1_StopResponse {
        var response = Tradeengine_V1_StopResponse()
        response.status = StatusMapping.status(try await hosted { try await host.stop(flatten: request.flatten) })
        return response
    }

    func pauseEntries(request: Tradeengine_V1_PauseEntriesRequest, context: ServerContext) async throws -> Tradeengine_V1_PauseEntriesResponse {
        let reason = request.reason.isEmpty ? "paused by \(caller)" : "\(request.reason) (\(caller))"
        var response = Tradeengine_V1_PauseEntriesResponse()
        response.status = StatusMapping.status(try await hosted { try await host.pauseEntries(reason: reason) })
        return response
    }

    func resume(request: Tradeengine_V1_ResumeRequest, context: ServerContext) async throws -> Tradeengine_V1_ResumeResponse {
        var response = Tradeengine_V1_ResumeResponse()
        response.status = StatusMapping.status(try await hosted { try await host.resume() })
        return response
    }

    func halt(request: Tradeengine_V1_HaltRequest, context: ServerContext) async throws -> Tradeengine_V1_HaltResponse {
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw RequestValidation.invalid("reason is required: say why the kill switch is pulled") }
        var response = Tradeengine_V1_HaltResponse()
        response.status = StatusMapping.status(try await hosted { try await host.halt(reason: "\(reason) (\(caller))") })
        return response
    }

    func flatten(request: Tradeengine_V1_FlattenRequest, context: ServerContext) async throws -> Tradeengine_V1_FlattenResponse {
        var symbol: String?
        if !request.symbol.isEmpty {
            symbol = try RequestValidation.symbol(request.symbol, catalog: await host.catalog(), field: "symbol")
        }
        let result = try await hosted { try await host.flatten(symbol: symbol) }
        var response = Tradeengine_V1_FlattenResponse()
        response.status = StatusMapping.status(result.status)
        response.symbols = result.symbols
        return response
    }

    func setContext(request: Tradeengine_V1_SetContextRequest, context: ServerContext) async throws -> Tradeengine_V1_SetContextResponse {
        let bias: OperatorContext.Bias
        switch request.bias {
        case .riskOn: bias = .riskOn
        case .neutral: bias = .neutral
        case .riskOff: bias = .riskOff
        case .unspecified, .UNRECOGNIZED: throw RequestValidation.invalid("bias is required: RISK_ON, NEUTRAL or RISK_OFF")
        }
        guard request.note.count <= 1000 else { throw RequestValidation.invalid("note is longer than 1000 characters") }
        var ctx = OperatorContext(bias: bias, note: request.note, setAt: Date(), setBy: caller)
        if request.hasExpiresAt {
            ctx.expiresAt = Date(timeIntervalSince1970: Double(try RequestValidation.time(request.expiresAt, field: "expires_at")) / 1000)
        }
        let applied = try await hosted { try await host.setContext(ctx) }
        var response = Tradeengine_V1_SetContextResponse()
        response.context = StatusMapping.context(applied)
        return response
    }

    func setParameters(request: Tradeengine_V1_SetParametersRequest, context: ServerContext) async throws -> Tradeengine_V1_SetParametersResponse {
        var changes: [ParameterValue] = []
        for (i, p) in request.parameters.enumerated() {
            guard !p.model.isEmpty, !p.name.isEmpty else { throw RequestValidation.invalid("parameters[\(i)] needs a model and a name") }
            let value: ParameterValue.Value
            switch p.value {
            case .number(let x)?:
                guard x.isFinite else { throw RequestValidation.invalid("parameters[\(i)] \(p.model).\(p.name) is not a finite number") }
                value = .number(x)
            case .integer(let n)?: value = .integer(n)
            case .flag(let b)?: value = .flag(b)
            case nil: throw RequestValidation.invalid("parameters[\(i)] \(p.model).\(p.name) has no value")
            }
            changes.append(ParameterValue(model: p.model, name: p.name, value: value))
        }
        let record = try await hosted { try await host.setParameters(changes, comment: request.comment, by: caller, force: request.force) }
        var response = Tradeengine_V1_SetParametersResponse()
        response.parameters = RecordMapping.parameterSet(record)
        return response
    }

    func rollback(request: Tradeengine_V1_RollbackRequest, context: ServerContext) async throws -> Tradeengine_V1_RollbackResponse {
        guard request.version >= 0 else { throw RequestValidation.invalid("version must be ≥ 1 (or 0 for the one before the active), got \(request.version)") }
        let record = try await hosted {
            try await host.rollback(to: request.version == 0 ? nil : request.version, comment: request.comment, by: caller)
        }
        var response = Tradeengine_V1_RollbackResponse()
        response.parameters = RecordMapping.parameterSet(record)
        return response
    }

    func revokeCertificate(request: Tradeengine_V1_RevokeCertificateRequest, context: ServerContext) async throws -> Tradeengine_V1_RevokeCertificateResponse {
        guard let serial = SerialNumberText.normalize(request.serial) else {
            throw RequestValidation.invalid("serial '\(request.serial)' is not hex; copy it from `tradectl certs list`")
        }
        let note = request.note.isEmpty ? "revoked by \(caller)" : "\(request.note) (revoked by \(caller))"
        do {
            guard try await revocations.revoke(serial: serial, note: note) else {
                throw RPCError(code: .alreadyExists, message: "serial \(serial) is already revoked")
            }
        } catch let error as SecurityError {
            throw RPCError(code: .internalError, message: error.description)
        }
        var response = Tradeengine_V1_RevokeCertificateResponse()
        response.revoked.serial = serial
        response.revoked.note = note
        return response
    }

    func listRevokedCertificates(request: Tradeengine_V1_ListRevokedCertificatesRequest, context: ServerContext) async throws -> Tradeengine_V1_ListRevokedCertificatesResponse {
        let list = await revocations.list()
        var response = Tradeengine_V1_ListRevokedCertificatesResponse()
        response.revoked = list.order.map { serial in
            var r = Tradeengine_V1_RevokedCertificate()
            r.serial = serial
            r.note = list.entries[serial] ?? ""
            return r
        }
        return response
    }

    /// Runs a host call, turning its refusal into the matching gRPC status.
    private func hosted<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as HostError { throw error.rpcError }
    }
}
