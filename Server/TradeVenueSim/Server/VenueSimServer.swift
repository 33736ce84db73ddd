import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// The simulator on HTTP: one listener (loopback by default) serving the
/// venue's REST paths and, upgraded on the same port, its WebSocket streams,
/// through Hummingbird. It prints `listening on HOST:PORT`
/// once the socket is bound (port 0 picks a free one), which is what tests and
/// scripts wait for.
public enum VenueSimServer {
    /// The most a request body may hold (orders are a few hundred bytes).
    static let maxBody = 64 * 1024

    /// `rest` answers every plain HTTP request, through the fault schedule of `core` (`storm` is the venue's
    /// answer in a rate-limit storm); `streams`, every WebSocket upgrade on their paths (the first that routes it).
    public static func run(core: VenueCore, rest: @escaping @Sendable (VenueRequest) -> VenueResponse, storm: VenueResponse,
                           streams: [any StreamService], host: String, port: Int,
                           onListening: @escaping @Sendable (String, Int) -> Void) async throws {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: maxBody)
            let r = VenueRequest(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                                   body: String(buffer: body),
                                 headers: Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }) { a, _ in a })
            var faulted: VenueResponse?
            let faults = core.withState { $0.faults.rest(method: r.method, path: r.path, at: core.wallClock()) }
            for fault in faults {
                switch fault {
                case .delay(let ms): try await Task.sleep(for: .milliseconds(ms))
                case .serverError(let status): faulted = VenueResponse(status: status, headers: [], body: "")
                case .rateLimited: faulted = storm
                case .timeout(let ms):
                    try await Task.sleep(for: .milliseconds(ms))
                    throw SimulatedTimeout()   // the connection is dropped without an answer
                case .lostAck(let ms):
                    _ = rest(r)   // the venue does it...
                    try await Task.sleep(for: .milliseconds(ms))
                    faulted = VenueResponse(status: 504, headers: [], body: "")   // ...but the answer never arrives
                }
            }
            let answer = faulted ?? rest(r)
            var headers = HTTPFields()
            headers[.contentType] = "application/json;charset=UTF-8"
            for (name, value) in answer.headers { headers[HTTPField.Name(name)!] = value }
            return Response(status: .init(code: answer.status), headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        var logger = Logger(label: "venue-sim")
        logger.logLevel = .warning
        let upgrade = HTTPServerBuilder.http1WebSocketUpgrade { request, _, _ in
            guard let path = request.path,
                  let (service, route) = streams.lazy.compactMap({ s in s.streams(forPath: path).map { (s, $0) } }).first else { return .dontUpgrade }
            return .upgrade([:]) { inbound, outbound, _ in
                try await service.serve(read: { onText in
                    for try await message in inbound.messages(maxSize: maxBody) {
                        if case .text(let text) = message { try await onText(text) }
                    }
                }, send: { try await outbound.write(.text($0)) }, combined: route.combined, initial: route.streams)
            }
        }
        let app = Application(responder: responder, server: upgrade, configuration: .init(address: .hostname(host, port: port), serverName: "venue-sim"),
                              onServerRunning: { channel in
                                  onListening(host, channel.localAddress?.port ?? port)
                              }, logger: logger)
        try await app.runService()
    }
}

/// Thrown to drop a connection without an answer (the `timeout` fault).
struct SimulatedTimeout: Error {}
