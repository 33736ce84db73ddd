import Foundation
import GRPCCore
import SwiftProtobuf
import TradeSecurity

/// Authorization and auditing for every RPC, in one place.
///
/// Looks up the method in `AccessPolicy`'s table and compares it with the role
/// in the caller's verified certificate. A caller without the role gets
/// PERMISSION_DENIED before any handler runs, so a denied call changes nothing.
/// Every control call — denied, failed or successful — is written to the audit
/// log with the caller, the role, the method, a summary of the request and the
/// outcome.
public struct AuthorizationInterceptor: ServerInterceptor {
    let audit: any AuditLog

    public init(audit: any AuditLog) { self.audit = audit }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor
        let identity: PeerIdentity
        switch CallerIdentity.identity(from: context) {
        case .success(let id): identity = id
        case .failure(let error): throw error
        }
        let isControl = AccessPolicy.isControl(method)
        // Control methods are unary: take the one message now, to summarise it
        // for the audit record, and hand it on.
        var forwarded = request
        var summary = ""
        if isControl {
            let single = try await ServerRequest(stream: request)
            summary = Self.summarize(single.message)
            forwarded = StreamingServerRequest(single: single)
        }

        guard let required = AccessPolicy.role(for: method) else {
            let error = RPCError(code: .permissionDenied, message: "\(method.fullyQualifiedMethod) is not in the server's access table; no role may call it")
            if isControl { await record(identity, method, summary, .denied, error) }
            throw error
        }
        guard identity.role >= required else {
            let error = RPCError(code: .permissionDenied, message:
                "\(method.method) needs the \(required.name) role; your certificate '\(identity.commonName)' has \(identity.role.name). Ask an admin for a certificate with `tradectl certs issue --role \(required.name)`")
            if isControl { await record(identity, method, summary, .denied, error) }
            throw error
        }

        guard isControl else {
            return try await CallerIdentity.$current.withValue(identity) { try await next(forwarded, context) }
        }
        do {
            let response = try await CallerIdentity.$current.withValue(identity) { try await next(forwarded, context) }
            switch response.accepted {
            case .success: await record(identity, method, summary, .ok, nil)
            case .failure(let error): await record(identity, method, summary, .failed, error)
            }
            return response
        } catch let error as RPCError {
            await record(identity, method, summary, .failed, error)
            throw error
        } catch {
            await record(identity, method, summary, .failed, RPCError(code: .unknown, message: "\(error)"))
            throw error
        }
    }

    private func record(_ identity: PeerIdentity, _ method: MethodDescriptor, _ summary: String,
                        _ outcome: AuditRecord.Outcome, _ error: RPCError?) async {
        await audit.record(AuditRecord(caller: identity.commonName, role: identity.role, method: method.fullyQualifiedMethod,
                                       requestSummary: summary, outcome: outcome,
                                       statusCode: error.map { "\($0.code)" } ?? "ok", message: error?.message ?? ""))
    }

    /// The request in protobuf text format on one line, cut to a readable length.
    static func summarize<M>(_ message: M) -> String {
        guard let proto = message as? any SwiftProtobuf.Message else { return "" }
        let text = proto.textFormatString().split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return text.count > 500 ? String(text.prefix(497)) + "..." : text
    }
}
