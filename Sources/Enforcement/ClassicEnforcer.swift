// SPDX-License-Identifier: Apache-2.0
import Compile
import Foundation
import ProcFS

/// `schedcat apply`: applies the catalog to every matching process, then (unless `once`) keeps
/// doing so for processes that start or rename themselves, and re-applies when the catalog file
/// changes. Stops on SIGINT/SIGTERM; SIGHUP reloads.
public final class ClassicEnforcer {
    public struct Options: Sendable {
        public var catalogPath: String
        public var dryRun = false
        /// Full /proc pass every this many seconds; with no process-events connector, new
        /// processes are found by this pass alone, so it runs twice a second.
        public var rescanInterval = 5.0
        public init(catalogPath: String) { self.catalogPath = catalogPath }
    }

    let options: Options
    let load: () throws -> ClassicPolicy
    let report: (ClassicChange) -> Void
    let say: (String) -> Void

    /// `load` reads and compiles the catalog; it is called at start and on every change.
    public init(options: Options, load: @escaping () throws -> ClassicPolicy,
                report: @escaping (ClassicChange) -> Void, say: @escaping (String) -> Void) {
        self.options = options
        self.load = load
        self.report = report
        self.say = say
    }

    /// One pass; the changes made.
    public func runOnce() throws -> [ClassicChange] {
        let changes = ClassicApplier(policy: try load(), dryRun: options.dryRun, say: say).applyAll()
        changes.forEach(report)
        return changes
    }

    /// Runs until SIGINT or SIGTERM. Throws only if the catalog cannot be loaded at start.
    public func run() throws {
        let applier = ClassicApplier(policy: try load(), dryRun: options.dryRun, say: say)
        var loop = EnforcementLoop(catalogPath: options.catalogPath, stamp: FileStamp(options.catalogPath), rescanInterval: 0)
        applier.applyAll().forEach(report)
        SchedulerSignals.install()
        let connector = ProcConnector()
        loop.rescanInterval = connector == nil ? 0.5 : options.rescanInterval
        say(connector != nil ? "watching process events (netlink proc connector); full pass every \(Int(loop.rescanInterval)) s"
                             : "process events connector unavailable; scanning /proc every \(loop.rescanInterval) s")
        _ = loop.run(tick: { nil }, reload: { _ in
            do {
                applier.replacePolicy(try load())
                say("catalog \(options.catalogPath) reloaded; applying it again")
                applier.applyAll().forEach(report)
            } catch {
                say("catalog \(options.catalogPath) not reloaded, keeping the last good one: \(error)")
            }
        }, rescan: {
            applier.applyAll().forEach(report)
        }, wait: {
            guard let connector else { return Thread.sleep(forTimeInterval: 0.1) }
            for event in connector.wait(timeout: 0.25) {
                switch event {
                case .exec(let pid), .rename(let pid): applier.apply(pid: pid).forEach(report)
                case .fork: break
                }
            }
        })
        say("stopped")
    }
}
