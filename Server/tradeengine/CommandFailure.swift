/// A failure of the work itself — unreadable data, a bad config file, a file that
/// cannot be written — as opposed to a mistake in the arguments (which throw
/// `ValidationError` and print usage). Prints "Error: <message>" and exits 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
