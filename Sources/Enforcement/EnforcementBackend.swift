// SPDX-License-Identifier: Apache-2.0
import Catalog
import Compile
import Foundation

/// How a catalog is enforced: the classic backend (setpriority, ioprio, affinity per thread) or
/// the sched_ext scheduler. One place that wires either to a catalog file, for the daemon.
public enum EnforcementBackend: Sendable {
    case classic
    case scheduler(objectPath: String)

    /// Enforces `catalogPath` until SIGINT/SIGTERM, re-reading it when it changes; returns an
    /// exit status. `say` gets every change and note, already prefixed with the backend's name.
    public func run(catalogPath path: String, say: @escaping @Sendable (String) -> Void) -> Int32 {
        switch self {
        case .classic:
            let enforcer = ClassicEnforcer(
                options: ClassicEnforcer.Options(catalogPath: path),
                load: { ClassicPolicy(catalog: try CatalogFile.load(path), file: path) },
                report: { change in say("apply: \(change)") },
                say: { say("apply: \($0)") })
            do {
                try enforcer.run()
                return 0
            } catch {
                say("apply: \(error)")
                return 1
            }
        case .scheduler(let objectPath):
            let runner = SchedulerRunner(options: SchedulerOptions(objectPath: objectPath, catalogPath: path), compile: { previous in
                PolicyCompiler.compile(try CatalogFile.load(path), options: CompileOptions(previousClasses: previous))
            }, say: { say("scheduler: \($0)") })
            do {
                return try runner.run()
            } catch {
                say("scheduler: \(error)")
                return 1
            }
        }
    }
}
