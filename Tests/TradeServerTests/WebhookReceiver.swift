import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback HTTP server standing in for Slack, Telegram or a generic
/// webhook: records every request body and answers as its mode says. Binds a
/// port of the system's choosing on 127.0.0.1; closed at the end of the test.
final class WebhookReceiver: @unchecked Sendable {
    enum Mode: Sendable {
        case ok
        case status(Int)
        /// Answer 200 only after this long (longer than the sender's timeout: a slow receiver).
        case slow(Duration)
    }

    private let lock = NSLock()
    private var bodies: [Data] = []
    private var currentMode: Mode
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private var channel: (any Channel)?
    private(set) var port = 0

    init(_ mode: Mode = .ok) async throws {
        currentMode = mode
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [unowned self] channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(Handler(receiver: self)) }
            }
        let c = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        channel = c
        port = c.localAddress!.port!
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var mode: Mode {
        get { lock.withLock { currentMode } }
        set { lock.withLock { currentMode = newValue } }
    }
    var received: [Data] { lock.withLock { bodies } }
    func json(_ k: Int) -> [String: Any]? { (try? JSONSerialization.jsonObject(with: received[k])) as? [String: Any] }

    fileprivate func record(_ d: Data) { lock.withLock { bodies.append(d) } }

    /// Waits (bounded) until `count` requests came in.
    func wait(for count: Int, seconds: Double = 10) async {
        let deadline = Date().addingTimeInterval(seconds)
        while received.count < count && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    }

    func close() async {
        try? await channel?.close()
        try? await group.shutdownGracefully()
    }

    /// A port nothing listens on (bound, then closed): a dead receiver.
    static func deadURL() async throws -> String {
        let r = try await WebhookReceiver()
        let url = r.url
        await r.close()
        return url
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let receiver: WebhookReceiver
        var body = Data()
        var head: HTTPRequestHead?
        init(receiver: WebhookReceiver) { self.receiver = receiver }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h): head = h; body = Data()
            case .body(var b): body.append(contentsOf: b.readBytes(length: b.readableBytes) ?? [])
            case .end:
                receiver.record(body)
                let status: HTTPResponseStatus, delay: Duration
                switch receiver.mode {
                case .ok: (status, delay) = (.ok, .zero)
                case .status(let code): (status, delay) = (HTTPResponseStatus(statusCode: code), .zero)
                case .slow(let d): (status, delay) = (.ok, d)
                }
                let loop = context.eventLoop, box = NIOLoopBound(context, eventLoop: loop), version = head?.version ?? .http1_1
                loop.scheduleTask(in: .nanoseconds(Int64(delay.components.seconds) * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000)) {
                    let context = box.value
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Length", value: "2")
                    context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
                    context.write(self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: "ok")))), promise: nil)
                    context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
                }
            }
        }
    }
}
