// SPDX-License-Identifier: Apache-2.0
/// Byte-level parsing of the text formats /proc uses, without building Strings.
enum ASCIIFields {
    /// A decimal integer (optionally negative for signed types); nil on anything else or overflow.
    static func integer<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>) -> T? {
        var index = bytes.startIndex
        var negative = false
        if T.isSigned, index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.endIndex else { return nil }
        var value: T = 0
        while index < bytes.endIndex {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative
                ? shifted.subtractingReportingOverflow(T(digit))
                : shifted.addingReportingOverflow(T(digit))
            guard !overflow1 && !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// Ranges of the fields separated by runs of spaces in `bytes[from...]`.
    static func spaceSeparated(_ bytes: [UInt8], from start: Int) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        fields.reserveCapacity(52)
        var index = start
        while index < bytes.count {
            while index < bytes.count && (bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\n")) { index += 1 }
            let fieldStart = index
            while index < bytes.count && bytes[index] != UInt8(ascii: " ") && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            if index > fieldStart { fields.append(fieldStart..<index) }
        }
        return fields
    }

    /// Calls `body(key, value)` for each `key: value` line (status, io); the value has its
    /// surrounding blanks removed.
    static func forEachKeyValue(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            if let colon = bytes[lineStart..<lineEnd].firstIndex(of: UInt8(ascii: ":")) {
                body(bytes[lineStart..<colon], trimmed(bytes[(colon + 1)..<lineEnd]))
            }
            lineStart = lineEnd + 1
        }
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { slice = slice.dropFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { slice = slice.dropLast() }
        return slice
    }

    /// The first blank-separated word of `bytes`.
    static func firstWord(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let end = bytes.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } ?? bytes.endIndex
        return bytes[bytes.startIndex..<end]
    }

    /// The `index`-th blank-separated word of `bytes`, if there is one.
    static func word(_ index: Int, of bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var rest = trimmed(bytes)
        for _ in 0..<index {
            rest = trimmed(rest[firstWord(rest).endIndex...])
        }
        return rest.isEmpty ? nil : firstWord(rest)
    }
}
