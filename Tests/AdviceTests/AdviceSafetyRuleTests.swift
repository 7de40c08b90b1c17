// SPDX-License-Identifier: Apache-2.0
import Advice
import Catalog
import Profiling
import Testing

/// Issue 13, item 1: the rule itself, on the features a snapshot gives (the real-process side is
/// in AdviceSafetyTests).
@Suite struct AdviceSafetyRuleTests {
    let catalog = Catalog(types: DefaultTypes.all, rules: [])
    let user = "/user.slice/user-1000.slice/user@1000.service"

    func checked(_ process: ProcessFeatures, _ type: String) -> (String?, Bool, String) {
        let outcome = AdviceSafety.check(Verdict(type: type, reason: "r"), process: process, catalog: catalog, advisor: .model)
        return (outcome.verdict.type, outcome.held, outcome.verdict.reason)
    }

    @Test func directionsComeFromTheTypesValues() {
        let directions = Dictionary(uniqueKeysWithValues: catalog.orderedTypes.map { ($0.name, catalog.direction(ofType: $0.name)) })
        #expect(directions == ["Game": .boost, "Player-Audio": .boost, "Player-Video": .boost, "Image-View": .boost,
                               "Doc-View": .boost, "LowLatency_RT": .boost, "BG_CPUIO": .demote, "BG_CPU": .demote,
                               "Launcher": .demote, "Heavy_CPU": .demote, "Chat": .boost, "Service": .demote,
                               "IN_DIFF": .neutral, "OOM_KILL": .neutral, "OOM_NO_KILL": .boost])
        #expect(catalog.direction(ofType: nil) == .neutral && catalog.neutralType == "IN_DIFF")
    }

    @Test func backgroundEvidenceStopsABoost() {
        let helper = ProcessFeatures(pid: 5, comm: "goa-daemon", cmdline: ["/usr/libexec/goa-daemon"], parentComm: "systemd",
                                     cgroup: user + "/app.slice/dbus-:1.2-org.gnome.OnlineAccounts@0.service", uid: 1000)
        #expect(checked(helper, "Chat").1 && checked(helper, "Chat").2.contains("D-Bus-activated helper"))
        let daemonChild = ProcessFeatures(pid: 6, comm: "helper", parentComm: "dbus-daemon", cgroup: user + "/session.slice/x.service", uid: 1000)
        #expect(checked(daemonChild, "Doc-View").1)
        let systemUser = ProcessFeatures(pid: 7, comm: "colord", cgroup: "/colord.scope", uid: 112)
        #expect(checked(systemUser, "Player-Video").2.contains("system account uid 112"))
        // a person's program in their session is free to be boosted, and a system service to be demoted
        let player = ProcessFeatures(pid: 8, comm: "mpv", cgroup: user + "/app.slice/app-mpv.scope", uid: 1000)
        #expect(checked(player, "Player-Video") == ("Player-Video", false, "r"))
        let cron = ProcessFeatures(pid: 9, comm: "cron", cgroup: "/system.slice/cron.service", uid: 0)
        #expect(checked(cron, "Service").1 == false)
        #expect(checked(cron, "LowLatency_RT").0 == "IN_DIFF")
    }

    @Test func latencyEvidenceStopsADemotionAndOutweighsWhereItRuns() {
        let app = ProcessFeatures(pid: 5, comm: "reaper", cgroup: user + "/app.slice/app-reaper.scope", uid: 1000,
                                  signals: ProcessSignals(displaySocket: true))
        let (type, held, reason) = checked(app, "Heavy_CPU")
        #expect(type == "IN_DIFF" && held && reason == "model said Heavy_CPU (r); evidence says a graphical app with a display connection")
        // a display connection outside an app scope (a terminal's child) is no evidence by itself
        let tool = ProcessFeatures(pid: 6, comm: "xdotool", cgroup: user + "/session.slice/x.service", signals: ProcessSignals(displaySocket: true))
        #expect(checked(tool, "Heavy_CPU").1 == false)
        // an X server in a system service: serving the display outweighs system.slice
        let xorg = ProcessFeatures(pid: 7, comm: "Xorg", cgroup: "/system.slice/lightdm.service", uid: 0,
                                   signals: ProcessSignals(displaySocket: true, servesDisplayOrAudio: true))
        #expect(checked(xorg, "LowLatency_RT").1 == false)
        // an old snapshot without signals still shows a realtime leader through its policy
        let jack = ProcessFeatures(pid: 8, comm: "jackd", policy: "fifo")
        #expect(checked(jack, "BG_CPUIO").2.contains("1 realtime thread(s)"))
    }
}
