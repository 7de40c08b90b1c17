// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Catalog
import Foundation
import LinuxSystem

/// Exit codes: 2 for input that is wrong (a catalog, a snapshot), 1 for anything else.
enum Exit {
    static let invalidInput = ExitCode(2)
    static let failure = ExitCode(1)
}

/// One message on stderr. Its control characters other than line breaks are escaped (a second
/// guard: text a process or a file controls is escaped, line breaks included, where it is put
/// into a message).
func printError(_ text: String) {
    let safe = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).escapedForTerminal }
    FileHandle.standardError.write(Data((safe.joined(separator: "\n") + "\n").utf8))
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Runs `body`, turning catalog errors into messages on stderr and the right exit code.
@discardableResult
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let invalid as CatalogInvalid {
        for diagnostic in invalid.diagnostics { printError(diagnostic.description) }
        printError("\(invalid.errors.count) error(s)")
        throw Exit.invalidInput
    } catch let ioError as CatalogIOError {
        printError("error: \(ioError.message.escapedForTerminal)")
        throw Exit.failure
    }
}

/// A plain left-aligned text table. Cells hold what processes and files say about themselves:
/// their control characters are escaped.
func renderTable(_ header: [String], _ rawRows: [[String]]) -> String {
    let rows = rawRows.map { $0.map(\.escapedForTerminal) }
    var widths = header.map(\.count)
    for row in rows {
        for (index, cell) in row.enumerated() where index < widths.count {
            widths[index] = max(widths[index], cell.count)
        }
    }
    let line = { (cells: [String]) in
        cells.enumerated().map { index, cell in
            index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
}
