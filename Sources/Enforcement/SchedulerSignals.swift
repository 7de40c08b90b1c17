// SPDX-License-Identifier: Apache-2.0
import Glibc
import Synchronization

private let pendingSignals = Atomic<UInt64>(0)

/// SIGINT/SIGTERM/SIGHUP recorded by a handler and collected by the loader's loop.
enum SchedulerSignals {
    static func install() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { number in
                pendingSignals.bitwiseOr(UInt64(1) << UInt64(number), ordering: .relaxed)
            }
        }
    }

    /// The signals received since the last call.
    static func take() -> Set<Int32> {
        let bits = pendingSignals.exchange(0, ordering: .relaxed)
        return Set((0..<64).filter { bits & (UInt64(1) << UInt64($0)) != 0 }.map(Int32.init))
    }
}
