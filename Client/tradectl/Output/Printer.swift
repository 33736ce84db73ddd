import Foundation
import SwiftProtobuf

/// Writes command results: tables for people, protobuf's canonical JSON for
/// scripts (field names in lowerCamelCase, enums by name, 64-bit integers as
/// strings — what every protobuf library reads back).
enum Printer {
    static func json(_ message: some SwiftProtobuf.Message) {
        var options = JSONEncodingOptions()
        options.alwaysPrintEnumsAsInts = false
        let text = (try? message.jsonString(options: options)) ?? "{}"
        write(text + "\n")
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
