import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves `GET /metrics` in Prometheus' text format on its own listener
/// (`serve --metrics 127.0.0.1:9464`), plain HTTP/1.1 through SwiftNIO. It is
/// apart from the gRPC port on purpose: scrapers do not speak mTLS, and
/// metrics carry no secrets and accept no commands. Each scrape first lets
/// the host refresh its gauges.
public final class MetricsListener: Sendable {
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    /// The address bound (a port of 0 becomes the one the system chose).
    public let boundAddress: String

    /// Binds `host:port`; `refresh` runs before each scrape, `exposition` renders the metrics.
    public init(host: String, port: Int, refresh: @escaping @Sendable () async -> Void,
                exposition: @escaping @Sendable () -> String) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(ScrapeHandler(refresh: refresh, exposition: exposition))
                }
            }
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let port = channel.localAddress?.port ?? port
        boundAddress = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public func close() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// One HTTP/1.1 exchange at a time per connection: GET /metrics, or a 404/405.
private final class ScrapeHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let refresh: @Sendable () async -> Void
    let exposition: @Sendable () -> String
    private var head: HTTPRequestHead?

    init(refresh: @escaping @Sendable () async -> Void, exposition: @escaping @Sendable () -> String) {
        self.refresh = refresh
        self.exposition = exposition
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let h = head else { return }
            head = nil
            let path = h.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? h.uri
            guard path == "/metrics" else { return respond(context, h, .notFound, "only /metrics is served here\n") }
            guard h.method == .GET || h.method == .HEAD else { return respond(context, h, .methodNotAllowed, "GET /metrics\n") }
            let loop = context.eventLoop
            let box = NIOLoopBound(context, eventLoop: loop)
            let refresh = self.refresh, exposition = self.exposition
            Task {
                await refresh()
                let text = exposition()
                loop.execute { self.respond(box.value, h, .ok, text, contentType: "text/plain; version=0.0.4; charset=utf-8") }
            }
        }
    }

    private func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus,
                         _ body: String, contentType: String = "text/plain; charset=utf-8") {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.whenComplete { _ in context.close(promise: nil) } }
    }
}
