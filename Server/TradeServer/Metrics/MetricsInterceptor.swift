import GRPCCore

/// Counts every RPC by method and status code, with its latency (for streams:
/// until the handler returned its response, not the stream's whole life).
public struct MetricsInterceptor: ServerInterceptor {
    let metrics: EngineMetrics

    public init(metrics: EngineMetrics) { self.metrics = metrics }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor.method
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            let code: String
            switch response.accepted {
            case .success: code = "ok"
            case .failure(let error): code = "\(error.code)"
            }
            metrics.rpc(method: method, code: code, duration: ContinuousClock.now - started)
            return response
        } catch let error as RPCError {
            metrics.rpc(method: method, code: "\(error.code)", duration: ContinuousClock.now - started)
            throw error
        } catch {
            metrics.rpc(method: method, code: "unknown", duration: ContinuousClock.now - started)
            throw error
        }
    }
}
