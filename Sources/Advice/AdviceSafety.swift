// SPDX-License-Identifier: Apache-2.0
import Catalog

/// Where a process runs, read from its cgroup path (systemd's layout).
struct CgroupPlacement {
    let path: String

    init(_ cgroup: String?) { path = cgroup ?? "" }

    var unit: Substring { path.split(separator: "/").last ?? "" }
    /// A system service: /system.slice/...
    var systemService: Bool { path.hasPrefix("/system.slice/") }
    /// Inside a person's login: /user.slice/user-UID.slice/(session-N.scope | user@UID.service/...).
    var loginSession: Bool { path.hasPrefix("/user.slice/") }
    /// A graphical session's app: app.slice or an app-*.scope under the user manager.
    var appScope: Bool {
        path.contains("/user@") && (path.contains("/app.slice/") || (unit.hasPrefix("app-") && unit.hasSuffix(".scope")))
    }
    /// A service systemd started for a D-Bus activation request without a unit of its own.
    var dbusActivated: Bool { unit.hasPrefix("dbus-") && unit.hasSuffix(".service") }
}

/// What the kernel and /proc show against moving a process one way or the other.
public struct SafetyFindings: Sendable, Hashable {
    /// Why it must not be demoted (realtime threads, a sound device, an audio or display connection).
    public var againstDemotion: [String] = []
    /// Why it must not be boosted (a system service, a system account without a session, a D-Bus helper).
    public var againstBoost: [String] = []

    public static let dbusParents: Set<String> = ["dbus-daemon", "dbus-broker", "dbus-broker-lau", "dbus-broker-launch"]

    public init(_ process: ProcessFeatures) {
        let signals = process.signals
        let placement = CgroupPlacement(process.cgroup)
        let realtime = signals?.realtimeThreads ?? (["fifo", "rr", "deadline"].contains(process.policy) ? 1 : 0)
        if realtime > 0 { againstDemotion.append("\(realtime) realtime thread(s)") }
        if signals?.audioDevice == true { againstDemotion.append("holds a sound device") }
        if signals?.audioSocket == true { againstDemotion.append("has a PipeWire/PulseAudio socket") }
        if signals?.displaySocket == true && placement.appScope { againstDemotion.append("a graphical app with a display connection") }
        // A display or audio server, realtime threads or a sound device outweigh where it runs.
        let latencyWork = realtime > 0 || signals?.audioDevice == true || signals?.servesDisplayOrAudio == true
        guard !latencyWork else { return }
        if placement.systemService { againstBoost.append("a system service (system.slice)") }
        if let uid = process.uid, SystemAccounts.isSystem(uid), !placement.loginSession {
            againstBoost.append("system account uid \(uid) outside any login session")
        }
        if placement.dbusActivated || process.parentComm.map(Self.dbusParents.contains) == true {
            againstBoost.append("a D-Bus-activated helper")
        }
    }
}

/// The check between the advisor and the catalog: an advisor proposes, evidence decides whether
/// a boost or a demotion may be proposed. A verdict the evidence contradicts becomes the
/// catalog's neutral type (or unknown), its reason saying both sides so a reviewer sees them.
/// Only new proposals pass through here: rules a person wrote or edited are never re-proposed,
/// and a person's choice in review is not checked again ("unless a person says so").
public enum AdviceSafety {
    public struct Outcome: Sendable {
        public var verdict: Verdict
        /// The evidence overruled the advisor.
        public var held: Bool
        /// The advisor was too unsure for a boost or a demotion.
        public var unsure = false
    }

    /// A boost or a demotion needs the model at least this sure of its answer (see
    /// `TypeConfidence.ofAnswer`); a neutral answer needs no confidence.
    public static let minimumConfidence = 0.5

    public static func check(_ verdict: Verdict, process: ProcessFeatures, catalog: Catalog, advisor: RuleSource,
                             minimumConfidence: Double = minimumConfidence) -> Outcome {
        let findings = SafetyFindings(process)
        let direction = catalog.direction(ofType: verdict.type)
        let against: [String]
        switch direction {
        case .boost: against = findings.againstBoost
        case .demote: against = findings.againstDemotion
        case .neutral: against = []
        }
        guard let type = verdict.type else { return Outcome(verdict: verdict, held: false) }
        let said = "\(advisor.rawValue) said \(type) (\(verdict.reason))"
        if !against.isEmpty {
            let reason = "\(said); evidence says \(against.joined(separator: ", "))"
            return Outcome(verdict: Verdict(type: catalog.neutralType, reason: reason, confidence: verdict.confidence), held: true)
        }
        if direction != .neutral, let confidence = verdict.confidence, confidence < minimumConfidence {
            let reason = "\(said) with confidence \(Rule.confidenceText(confidence)); a \(direction == .boost ? "boost" : "demotion") needs " +
                         Rule.confidenceText(minimumConfidence)
            return Outcome(verdict: Verdict(type: catalog.neutralType, reason: reason, confidence: confidence), held: true, unsure: true)
        }
        return Outcome(verdict: verdict, held: false)
    }
}
