/// A certificate operation that failed, with a message meant for the operator:
/// what went wrong and what to do about it.
public struct SecurityError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
