import TradeVenues
import Testing
@testable import TradeVenueSim

/// Our HMAC signing against the worked examples in Binance's own API
/// documentation ("SIGNED endpoint examples for POST /api/v3/order"): its
/// published key, secret, parameters and signatures.
@Suite struct BinanceSignatureTests {
    static let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

    @Test func theQueryStringExampleSignsAsTheDocsSay() {
        let query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
        #expect(BinanceSignature.sign(query, secret: Self.secret) == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")
    }

    @Test func theMixedQueryAndBodyExampleSignsTheirConcatenation() {
        // Example 3: part in the query string, part in the body; the total params are their concatenation (no '&').
        let (signed, signature) = BinanceSignature.split(
            query: "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
            body: "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77")
        #expect(signed == "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559")
        #expect(signature == "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77")
        #expect(BinanceSignature.sign(signed, secret: Self.secret) == signature)
    }

    @Test func decimalsParseAndPrintAsTheVenueWritesThem() {
        #expect(Decimal8("0.1")?.description == "0.10000000")
        #expect(Decimal8("97000.12345678")?.raw == 9_700_012_345_678)
        #expect(Decimal8("1")?.description == "1.00000000" && Decimal8(".5")?.description == "0.50000000")
        #expect(Decimal8("0.100000000")?.description == "0.10000000", "trailing zeros past 8 decimals")
        for bad in ["", ".", "1e-5", "0.123456789", "1,5", " 1", "abc", "--1", "12345678901"] { #expect(Decimal8(bad) == nil, "\(bad)") }
        #expect((Decimal8("97000.5")! * Decimal8("0.00105")!).description == "101.85052500")
        #expect(Decimal8("0.00105")!.basisPoints(10).description == "0.00000105")
    }
}
