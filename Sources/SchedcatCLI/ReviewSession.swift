// SPDX-License-Identifier: Apache-2.0
import Advice
import Catalog
import Foundation
import LinuxSystem
import Profiling
import Rainbow

/// The interactive review: one proposed rule at a time, a key per decision. Colours come from
/// Rainbow, which leaves them out when stdout is not a terminal or NO_COLOR is set.
struct ReviewSession {
    let file: String
    let catalog: Catalog
    let evidence: Evidence

    init(file: String, catalog: Catalog, evidence: Evidence) {
        self.file = file
        self.catalog = catalog
        self.evidence = evidence
    }

    func run() throws -> [(RuleIdentity, [ReviewDecision])] {
        let proposed = catalog.rules.filter { $0.status == .proposed }
        guard !proposed.isEmpty else {
            print("no proposed rules in \(file)")
            return []
        }
        let terminal = RawTerminal()
        defer { terminal.restore() }
        var decisions: [(RuleIdentity, [ReviewDecision])] = []
        review: for (position, original) in proposed.enumerated() {
            var rule = original
            var steps: [ReviewDecision] = []
            while true {
                show(rule, position: position + 1, of: proposed.count)
                print("[a]ccept  [r]eject  [t]ype  [p]in/unpin exe  [s]kip  [q]uit and save > ", terminator: "")
                fflush(nil)
                let key = terminal.readKey()
                print(key.map { String($0) } ?? "")
                switch key {
                case "a":
                    steps.append(.accept)
                case "r":
                    steps.append(.reject)
                case "t":
                    if let type = terminal.cooked({ askType() }) {
                        steps.append(.setType(type))
                        rule.type = type
                    }
                    continue
                case "p":
                    if rule.identity.exe != nil {
                        steps.append(.unpinExe)
                        rule.identity.exe = nil
                    } else if let exe = evidence.features(of: original.identity)?.exe {
                        steps.append(.pinExe(exe))
                        rule.identity.exe = exe
                    } else {
                        print("the executable of this process is not known; nothing to pin".yellow)
                    }
                    continue
                case "s":
                    break
                case "q", nil:
                    if !steps.isEmpty { decisions.append((original.identity, steps)) }
                    break review
                default:
                    print("unknown key".yellow)
                    continue
                }
                if !steps.isEmpty { decisions.append((original.identity, steps)) }
                continue review
            }
        }
        return decisions
    }

    private func show(_ rule: Rule, position: Int, of total: Int) {
        let values = catalog.effectiveValues(of: rule)
        // everything from the catalog, the model or the process is escaped: only our own colours reach the terminal
        let safe = { (text: String) in text.escapedForTerminal }
        print("\n[\(position)/\(total)] ".bold + safe(rule.name).bold.cyan + "  proposed by \(rule.source.rawValue)"
              + (rule.model.map { " (\(safe($0)))" } ?? "") + (rule.seen.map { ", seen \(safe($0))" } ?? ""))
        if let process = evidence.features(of: catalog.rules.first { $0.name == rule.name && $0.status == .proposed }?.identity
                                              ?? rule.identity) {
            print("  process  ".dim + "pid \(process.pid), comm \(safe(process.comm)), exe \(safe(process.exe ?? "?"))")
            print("           ".dim + "cmdline \(safe(process.cmdline.prefix(6).joined(separator: " ")))")
            let rate = { (value: Double?) in value.map { String(format: "%.0f", $0) } ?? "?" }
            print("           ".dim + "cpu \(process.cpuPercent.map { String(format: "%.1f%%", $0) } ?? "?"), threads \(process.threads), " +
                  "switches \(rate(process.voluntarySwitchesPerSecond))/s voluntary \(rate(process.involuntarySwitchesPerSecond))/s involuntary, " +
                  "io \(rate(process.readBytesPerSecond)) B/s read \(rate(process.writeBytesPerSecond)) B/s written")
            print("           ".dim + "parent \(safe(process.parentComm ?? "?")), cgroup \(safe(process.cgroup ?? "?"))")
            if let signals = process.signals {
                print("           ".dim + "realtime threads \(signals.realtimeThreads), sound device \(signals.audioDevice ? "yes" : "no"), " +
                      "audio socket \(signals.audioSocket ? "yes" : "no"), display socket \(signals.displaySocket ? "yes" : "no")")
            }
        } else {
            print("  process  ".dim + "(no recorded features)")
        }
        print("  reason   ".dim + safe(rule.reason ?? "-")
              + (rule.confidence.map { "  (model confidence \(Rule.confidenceText($0)))".dim } ?? ""))
        if let current = catalog.amendedRule(of: rule) {
            let values = catalog.effectiveValues(of: current).keyValues.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("  changes  ".dim + "the rule at \(safe(file)):\(current.location?.line ?? 0): type \(safe(current.type ?? "custom")) -> " +
                  "\(safe(values))".yellow)
        }
        let valueText = safe(values.keyValues.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        let typeText = "type \(safe(rule.type ?? "-"))".bold
        let colored = values.boosts ? valueText.green : (values.nice ?? 0) > 0 ? valueText.yellow : valueText
        print("  proposal ".dim + typeText + " -> " + colored + (rule.identity.exe.map { "   exe pin \(safe($0))" } ?? "   no exe pin"))
    }

    private func askType() -> String? {
        for (index, name) in catalog.typeOrder.enumerated() {
            print(String(format: "  %2d  ", index + 1) + name.escapedForTerminal + "  "
                  + (catalog.types[name]?.description ?? "").escapedForTerminal.dim)
        }
        print("type (number or name, empty to cancel): ", terminator: "")
        fflush(nil)
        guard let line = readLine()?.trimmingCharacters(in: .whitespaces), !line.isEmpty else { return nil }
        if let number = Int(line), catalog.typeOrder.indices.contains(number - 1) { return catalog.typeOrder[number - 1] }
        if catalog.types[line] != nil { return line }
        print("unknown type '\(line.escapedForTerminal)'".yellow)
        return nil
    }
}

/// Single-key input from a terminal; restores the terminal's settings when done.
final class RawTerminal {
    private var saved = termios()
    private let active: Bool

    init() {
        active = isatty(0) != 0 && tcgetattr(0, &saved) == 0
        guard active else { return }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(0, TCSANOW, &raw)
    }

    func readKey() -> Character? {
        var byte: UInt8 = 0
        guard read(0, &byte, 1) == 1 else { return nil }
        return Character(UnicodeScalar(byte))
    }

    /// Runs `body` with line input and echo back on.
    func cooked<T>(_ body: () -> T) -> T {
        guard active else { return body() }
        tcsetattr(0, TCSANOW, &saved)
        defer {
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
            tcsetattr(0, TCSANOW, &raw)
        }
        return body()
    }

    func restore() {
        if active { tcsetattr(0, TCSANOW, &saved) }
    }
}
