import Foundation
import Testing
@testable import TradeVenueSim

/// The fault schedule: read strictly, applied in its windows, the same draws for the same requests.
@Suite struct FaultScheduleTests {
    func schedule(_ json: String) throws(FaultSchedule.ParseError) -> FaultSchedule { try FaultSchedule.parse(Data(json.utf8)) }

    @Test func aScheduleIsReadStrictlyAndEveryMistakeIsNamed() throws {
        let s = try schedule(#"{"seed": 7, "faults": [{"kind": "latency", "from": 1, "to": 2.5, "ms": 250, "probability": 0.5}]}"#)
        #expect(s.seed == 7 && s.faults == [.init(kind: .latency, from: 1_000, to: 2_500, probability: 0.5, ms: 250, status: 503, paths: [])])
        let bad: [(String, String)] = [
            (#"[]"#, "not a JSON object"),
            (#"{"seed": 1, "faults": [], "extra": 1}"#, "unknown key 'extra'"),
            (#"{"seed": -1, "faults": []}"#, "seed"),
            (#"{"seed": 1, "faults": [{"kind": "meteor", "from": 0, "to": 1}]}"#, "faults[0].kind must be one of"),
            (#"{"seed": 1, "faults": [{"kind": "latency", "from": 5, "to": 1, "ms": 1}]}"#, "to > from"),
            (#"{"seed": 1, "faults": [{"kind": "latency", "from": 0, "to": 1}]}"#, "latency needs ms"),
            (#"{"seed": 1, "faults": [{"kind": "server_error", "from": 0, "to": 1, "status": 404}]}"#, "must be a 5xx"),
            (#"{"seed": 1, "faults": [{"kind": "duplicate", "from": 0, "to": 1, "probability": 2}]}"#, "probability"),
            (#"{"seed": 1, "faults": [{"kind": "stale_feed", "from": 0, "to": 1, "paths": ["/ws"]}]}"#, "takes no paths"),
            (#"{"seed": 1, "faults": [{"kind": "timeout", "from": 0, "to": 1, "ms": 1, "colour": "red"}]}"#, "faults[0]: unknown key 'colour'"),
        ]
        for (text, message) in bad {
            do throws(FaultSchedule.ParseError) { _ = try schedule(text); Issue.record("accepted: \(text)") }
            catch { #expect(error.description.contains(message), "\(text): \(error.description)") }
        }
    }

    @Test func restFaultsActInTheirWindowsOnTheirPaths() throws {
        let s = try schedule(#"""
        {"seed": 1, "faults": [
          {"kind": "latency", "from": 0, "to": 10, "ms": 200},
          {"kind": "server_error", "from": 5, "to": 10, "status": 502, "paths": ["/api/v3/order"]},
          {"kind": "lost_ack", "from": 20, "to": 30, "ms": 50, "paths": ["POST /api/v3/order"]},
          {"kind": "rate_limit_storm", "from": 40, "to": 41},
          {"kind": "clock_skew", "from": 50, "to": 60, "ms": -3000}]}
        """#)
        var f = FaultInjector(schedule: s, start: 1_000_000)
        #expect(f.rest(method: "GET", path: "/api/v3/time", at: 1_000_000) == [.delay(200)])
        #expect(f.rest(method: "GET", path: "/api/v3/order", at: 1_006_000) == [.delay(200), .serverError(502)])
        #expect(f.rest(method: "GET", path: "/api/v3/order", at: 1_010_000).isEmpty, "windows end")
        #expect(f.rest(method: "GET", path: "/api/v3/order", at: 1_025_000).isEmpty, "lost_ack is for POST only")
        #expect(f.rest(method: "POST", path: "/api/v3/order", at: 1_025_000) == [.lostAck(50)])
        #expect(f.rest(method: "GET", path: "/api/v3/ping", at: 1_040_500) == [.rateLimited])
        #expect(f.skew(at: 1_055_000) == -3_000 && f.skew(at: 1_061_000) == 0)
    }

    @Test func drawsAreSeededAndProbabilitiesHold() throws {
        let s = try schedule(#"{"seed": 42, "faults": [{"kind": "server_error", "from": 0, "to": 1000, "probability": 0.3}]}"#)
        func run(_ schedule: FaultSchedule) -> [Bool] {
            var f = FaultInjector(schedule: schedule, start: 0)
            return (0..<2_000).map { f.rest(method: "GET", path: "/x", at: Int64($0)).isEmpty == false }
        }
        let a = run(s), b = run(s)
        #expect(a == b, "same seed, same faults")
        let share = Double(a.filter { $0 }.count) / 2_000
        #expect(abs(share - 0.3) < 0.04, "\(share)")
        var other = s
        other.seed = 43
        #expect(run(other) != a)
    }

    @Test func streamFaultsLoseRepeatAndReorderMessages() throws {
        let stale = try schedule(#"{"seed": 1, "faults": [{"kind": "stale_feed", "from": 10, "to": 20}, {"kind": "disconnect", "from": 30, "to": 31}]}"#)
        var f = FaultInjector(schedule: stale, start: 0)
        #expect(f.stream(["a", "b"], at: 5_000) == ["a", "b"])
        #expect(f.stream(["a", "b"], at: 15_000).isEmpty, "a silent feed loses what it would have said")
        #expect(!f.disconnects(at: 29_999) && f.disconnects(at: 30_000))
        let dup = try schedule(#"{"seed": 1, "faults": [{"kind": "duplicate", "from": 0, "to": 100}]}"#)
        var d = FaultInjector(schedule: dup, start: 0)
        #expect(d.stream(["a", "b"], at: 1) == ["a", "a", "b", "b"])
        let swap = try schedule(#"{"seed": 1, "faults": [{"kind": "out_of_order", "from": 0, "to": 100, "probability": 1}]}"#)
        var o = FaultInjector(schedule: swap, start: 0)
        let out = o.stream(["a", "b", "c", "d"], at: 1)
        #expect(out.sorted() == ["a", "b", "c", "d"] && out != ["a", "b", "c", "d"], "\(out)")
    }

    @Test func aSkewedVenueClockTripsTheReceiveWindowUntilTheClientSyncs() throws {
        // A venue clock 6 s fast refuses a client on true time (-1021), until the client syncs to its time.
        let skewed = try SimulatorFixture(faults: schedule(#"{"seed": 1, "faults": [{"kind": "clock_skew", "from": 0, "to": 100, "ms": 6000}]}"#))
        #expect(skewed.signed("GET", "/api/v3/account", "", timestamp: skewed.now).code == -1021)
        let venueTime = skewed.call("GET", "/api/v3/time").object["serverTime"] as? Int64 ?? 0
        #expect(venueTime == skewed.now + 6_000)
        #expect(skewed.signed("GET", "/api/v3/account", "", timestamp: venueTime).status == 200)
    }
}
