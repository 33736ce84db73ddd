import GRPCCore
import Testing
import TradeAPI
import TradeSecurity
@testable import TradeServer

@Suite struct AccessPolicyTests {
    @Test func everyMethodHasARoleAndControlNeedsMoreThanViewer() {
        let control = Tradeengine_V1_ControlService.Method.descriptors
        let reads = Tradeengine_V1_QueryService.Method.descriptors + Tradeengine_V1_StreamService.Method.descriptors
        for m in control {
            let role = AccessPolicy.role(for: m)
            #expect(role != nil && role! > .viewer, "\(m.fullyQualifiedMethod)")
            #expect(AccessPolicy.isControl(m))
        }
        for m in reads { #expect(AccessPolicy.role(for: m) == .viewer, "\(m.fullyQualifiedMethod)") }
        #expect(AccessPolicy.role(for: MethodDescriptor(service: ServiceDescriptor(fullyQualifiedService: "x.Y"), method: "Z")) == nil)
    }

    @Test func adminOnlyMethods() {
        typealias C = Tradeengine_V1_ControlService.Method
        for d in [C.SetParameters.descriptor, C.Rollback.descriptor, C.RevokeCertificate.descriptor] {
            #expect(AccessPolicy.role(for: d) == .admin)
        }
        #expect(AccessPolicy.role(for: C.Halt.descriptor) == .operator)
    }
}

@Suite struct PagingTests {
    @Test func pageTokensRoundTripAndForeignTokensAreRefused() {
        #expect(PageToken.decode(PageToken.encode(1234))?.offset == 1234)
        #expect(PageToken.decode(PageToken.encode(1234))?.cursor == nil)
        let keyset = PageToken.decode(PageToken.encode(20, cursor: "aDE8b3JkZXJz"))
        #expect(keyset?.offset == 20 && keyset?.cursor == "aDE8b3JkZXJz")
        #expect(PageToken.decode("garbage") == nil)
        #expect(PageToken.decode("") == nil)
    }

    @Test func recordQueryPagesAndCounts() {
        let q = RecordQuery(from: 10, to: 50, offset: 2, limit: 3)
        let page = q.page(Array(0..<100), time: { Int64($0) }, symbol: { _ in "BTCUSDT" })
        #expect(page.items == [12, 13, 14])
        #expect(page.total == 40)
        #expect(page.nextOffset == 5)
        let last = RecordQuery(from: 10, to: 50, offset: 39, limit: 3).page(Array(0..<100), time: { Int64($0) }, symbol: { _ in "" })
        #expect(last.items == [49] && last.nextOffset == nil)
    }
}
