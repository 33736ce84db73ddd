/// A strategy that writes its own client order ids and can put a tag in them,
/// so ids stay unique across the runs one database holds (a venue must never
/// see the same client order id twice).
public protocol OrderIDTagging {
    var clientOrderIDTag: String { get set }
}

extension ModelsStrategy: OrderIDTagging {}
