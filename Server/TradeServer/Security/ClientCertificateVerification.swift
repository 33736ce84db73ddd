import Foundation
import NIOCore
import NIOSSL
import SwiftASN1
import TradeSecurity
import X509

/// The TLS stack's view of `ClientCertificateValidator`: a custom verification
/// callback for swift-nio-ssl. It replaces BoringSSL's own verification
/// entirely, so that the deny list and the role are checked at the handshake;
/// a refused certificate never reaches a handler. Refusals are reported through
/// `onRefusal` (the server logs them with the reason).
enum ClientCertificateVerification {
    static func callback(validator: ClientCertificateValidator, onRefusal: @escaping @Sendable (String) -> Void)
        -> @Sendable ([NIOSSLCertificate], EventLoopPromise<NIOSSLVerificationResultWithMetadata>) -> Void {
        { presented, promise in
            let parsed: [Certificate]
            do {
                parsed = try presented.map { try Certificate(derEncoded: try $0.toDERBytes()) }
            } catch {
                onRefusal("unreadable client certificate: \(error)")
                promise.succeed(.failed)
                return
            }
            Task {
                switch await validator.validate(chain: parsed) {
                case .accepted(let chain, _):
                    do {
                        let nio = try chain.map { c -> NIOSSLCertificate in
                            var serializer = DER.Serializer()
                            try serializer.serialize(c)
                            return try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
                        }
                        promise.succeed(.certificateVerified(VerificationMetadata(ValidatedCertificateChain(nio))))
                    } catch {
                        onRefusal("cannot re-encode a verified chain: \(error)")
                        promise.succeed(.failed)
                    }
                case .refused(let reason):
                    onRefusal(reason)
                    promise.succeed(.failed)
                }
            }
        }
    }
}
