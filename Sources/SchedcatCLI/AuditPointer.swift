// SPDX-License-Identifier: Apache-2.0
import Audit
import Foundation

/// The note `apply` and `scheduler status` print when the last audit of their catalog found something.
func pointToAudit(catalog: String) {
    guard let report = AuditStateFiles.fromEnvironment.lastFindings(for: catalog) else { return }
    let kinds = Dictionary(grouping: report.findings, by: \.kind.rawValue).map { "\($0.value.count) \($0.key)" }.sorted()
    printError("note: the last audit (\(ISO8601DateFormatter().string(from: report.at))) found \(kinds.joined(separator: ", ")) " +
               "in \(catalog); see: schedcat catalog audit --catalog \(catalog)")
}
