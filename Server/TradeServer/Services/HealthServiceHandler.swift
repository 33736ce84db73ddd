import GRPCCore
import Synchronization
import TradeAPI

/// The standard grpc.health.v1.Health service, so load balancers and generic
/// probes can check the server. "" (the whole server) and each tradeengine
/// service report SERVING until shutdown begins, then NOT_SERVING.
final class HealthServiceHandler: Grpc_Health_V1_Health.SimpleServiceProtocol, Sendable {
    static let services: Set<String> = [
        "",
        Tradeengine_V1_ControlService.descriptor.fullyQualifiedService,
        Tradeengine_V1_QueryService.descriptor.fullyQualifiedService,
        Tradeengine_V1_StreamService.descriptor.fullyQualifiedService,
        Grpc_Health_V1_Health.descriptor.fullyQualifiedService,
    ]

    private let serving = Mutex(true)

    /// Called when graceful shutdown begins.
    func markNotServing() { serving.withLock { $0 = false } }

    private var currentStatus: Grpc_Health_V1_HealthCheckResponse.ServingStatus {
        serving.withLock { $0 } ? .serving : .notServing
    }

    func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard Self.services.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
        }
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = currentStatus
        return response
    }

    func watch(request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
               context: ServerContext) async throws {
        var last: Grpc_Health_V1_HealthCheckResponse.ServingStatus?
        while !Task.isCancelled {
            var message = Grpc_Health_V1_HealthCheckResponse()
            message.status = Self.services.contains(request.service) ? currentStatus : .serviceUnknown
            if message.status != last {
                try await response.write(message)
                last = message.status
            }
            if message.status == .notServing { return }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
