// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The loop both enforcers run until SIGINT or SIGTERM: a reload on SIGHUP or when the catalog
/// file changes (looked at every `checkInterval`), a full pass every `rescanInterval`, and in
/// between whatever the enforcer waits on (process events, or a short sleep).
struct EnforcementLoop {
    var catalogPath: String
    /// The catalog as it was when the enforcer loaded it.
    var stamp: FileStamp?
    var checkInterval = 1.0
    var rescanInterval: Double

    /// Returns nil when a signal stopped it, or the status `tick` asked to stop with.
    mutating func run(tick: () -> Int32?, reload: (_ reason: String) -> Void, rescan: () -> Void, wait: () -> Void) -> Int32? {
        var lastCheck = Date(), lastRescan = Date()
        while true {
            let signals = SchedulerSignals.take()
            if signals.contains(SIGINT) || signals.contains(SIGTERM) { return nil }
            if let status = tick() { return status }
            var reason = signals.contains(SIGHUP) ? "SIGHUP" : nil
            let now = Date()
            if now.timeIntervalSince(lastCheck) >= checkInterval {
                lastCheck = now
                let current = FileStamp(catalogPath)
                if current != stamp {
                    stamp = current
                    reason = "\(catalogPath) changed"
                }
            }
            if let reason { reload(reason) }
            if now.timeIntervalSince(lastRescan) >= rescanInterval {
                lastRescan = now
                rescan()
            }
            wait()
        }
    }
}
