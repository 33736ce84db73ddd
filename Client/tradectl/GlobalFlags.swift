/// Connection and output flags may come before the subcommand, as kubectl
/// accepts them (`tradectl --cert x.pem stop`, `tradectl -o json params show`).
///
/// ArgumentParser reads an option only on the command that declares it (here
/// every leaf command, through `ConnectionOptions`), so the flags given before
/// the first subcommand word are moved to the end of the arguments — before a
/// `--`, if there is one — where the leaf command reads them. Anything else
/// before the subcommand (`--help`, a typo) is left in place for
/// ArgumentParser to answer.
enum GlobalFlags {
    /// The flags of `ConnectionOptions`; each takes a value.
    static let names: Set<String> = ["--server", "--ca", "--cert", "--key", "--context", "--config", "-o", "--output"]

    static func hoist(_ arguments: [String]) -> [String] {
        var moved: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if names.contains(a), i + 1 < arguments.count {
                moved += [a, arguments[i + 1]]
                i += 2
            } else if let eq = a.firstIndex(of: "="), names.contains(String(a[..<eq])) {
                moved.append(a)
                i += 1
            } else {
                break
            }
        }
        guard !moved.isEmpty else { return arguments }
        var rest = Array(arguments[i...])
        rest.insert(contentsOf: moved, at: rest.firstIndex(of: "--") ?? rest.endIndex)
        return rest
    }
}

@main
enum TradeCtlMain {
    static func main() async {
        await TradeCtl.main(GlobalFlags.hoist(Array(CommandLine.arguments.dropFirst())))
    }
}
