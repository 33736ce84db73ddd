import GRPCCore
import TradeAPI
import TradeSecurity

/// The one table of who may call what. A method missing from it is refused for
/// everyone (fail closed), so a new RPC cannot ship without a decision here.
public enum AccessPolicy {
    public static let requiredRole: [String: Role] = {
        typealias C = Tradeengine_V1_ControlService.Method
        typealias Q = Tradeengine_V1_QueryService.Method
        typealias S = Tradeengine_V1_StreamService.Method
        typealias H = Grpc_Health_V1_Health.Method
        var table: [MethodDescriptor: Role] = [
            // Operator: the engine's lifecycle and the operator's context.
            C.Start.descriptor: .operator,
            C.Stop.descriptor: .operator,
            C.PauseEntries.descriptor: .operator,
            C.Resume.descriptor: .operator,
            C.Halt.descriptor: .operator,
            C.Flatten.descriptor: .operator,
            C.SetContext.descriptor: .operator,
            // Admin: parameters, rollback, certificates.
            C.SetParameters.descriptor: .admin,
            C.Rollback.descriptor: .admin,
            C.RevokeCertificate.descriptor: .admin,
            C.ListRevokedCertificates.descriptor: .admin,
            // Health: any verified client, so probes need only a viewer certificate.
            H.Check.descriptor: .viewer,
            H.Watch.descriptor: .viewer,
        ]
        for d in Q.descriptors { table[d] = .viewer }
        for d in S.descriptors { table[d] = .viewer }
        return Dictionary(uniqueKeysWithValues: table.map { ($0.key.fullyQualifiedMethod, $0.value) })
    }()

    /// Methods that change something: every call to one is audited.
    public static func isControl(_ method: MethodDescriptor) -> Bool {
        method.service == Tradeengine_V1_ControlService.descriptor
    }

    public static func role(for method: MethodDescriptor) -> Role? {
        requiredRole[method.fullyQualifiedMethod]
    }
}
