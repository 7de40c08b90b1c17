// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import Testing

/// Issue 12, attacks 1-3: an unprivileged user (uid 65534), in its own user + mount namespace
/// where it needs one, tries to earn a boost by faking an identity. `schedcat apply --once` runs
/// as root on the real kernel; the attacker's nice is read back from /proc. Each attack has a
/// control showing the same catalog does boost the real thing, so a test cannot pass by boosting nothing.
@Suite(.serialized, .enabled(if: Attacker.available))
struct TrustIdentityTests {
    static let catalogText = """
        schema: schedcat.catalog/v1
        rules:
          - { name: jackd, type: LowLatency_RT }
          - { name: sleep, type: LowLatency_RT }
          - { name: ptx, exe: /usr/bin/ptx, type: LowLatency_RT }
          - { name: tail, exe: /usr/bin/tail, type: LowLatency_RT }
          - { name: bash, type: Doc-View }
          - { name: renamed-py, exe: /usr/bin/python3.11, type: LowLatency_RT }
        """

    /// Nice of a process as /proc shows it (field 19 of stat).
    static func nice(_ pid: Int32) -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 16 ? Int(fields[16]) : nil
    }

    static func applyOnce() throws -> Schedcat.Output {
        let directory = try Schedcat.temporaryDirectory()
        try catalogText.write(toFile: directory + "/catalog.yaml", atomically: true, encoding: .utf8)
        let output = try Schedcat.run(["apply", "--catalog", directory + "/catalog.yaml", "--once"])
        #expect(output.status == 0, "\(output.stderr)")
        return output
    }

    /// Runs `script` as the attacker, waits for a process named `comm`, applies the catalog once
    /// and returns that process's nice afterwards.
    static func niceAfterApply(attack script: String, comm: String, namespace: Bool) throws -> Int? {
        try Attacker.require()
        let attacker = try Attacker.start(script, namespace: namespace)
        defer { attacker.terminate() }
        let pid = try #require(Attacker.pid(comm: comm, under: attacker.pid), "the attack did not start a process named \(comm)")
        defer { kill(pid, SIGKILL) }
        _ = try applyOnce()
        return nice(pid)
    }

    @Test func aBindMountedRootBinaryDoesNotVouchForTheNameItIsMountedUnder() throws {
        let directory = try Attacker.ownedDirectory()
        // attack 1 as reported: /usr/bin/sleep mounted onto a file named jackd
        let jackd = try Self.niceAfterApply(attack: """
            touch \(directory)/jackd && mount --bind /usr/bin/sleep \(directory)/jackd && exec \(directory)/jackd 1000
            """, comm: "jackd", namespace: true)
        #expect(jackd == 0, "a bind-mounted /usr/bin/sleep earned jackd's boost")
        // the same with a name the system does have: a root-owned tail mounted as 'sleep'
        let sleep = try Self.niceAfterApply(attack: """
            mkdir -p \(directory)/b && touch \(directory)/b/sleep && mount --bind /usr/bin/tail \(directory)/b/sleep \
            && exec \(directory)/b/sleep -f /dev/null
            """, comm: "sleep", namespace: true)
        #expect(sleep == 0, "a bind-mounted /usr/bin/tail earned the boost of the system's sleep")
        // control: the attacker running the system's own /usr/bin/sleep does get it (the name rule works)
        let real = try Self.niceAfterApply(attack: "exec /usr/bin/sleep 1000", comm: "sleep", namespace: false)
        #expect(real == -12, "the system's own sleep did not get the rule's boost")
    }

    @Test func anExePinIsTheFileNotThePathTheProcessSees() throws {
        let directory = try Attacker.ownedDirectory()
        // attack 2: the attacker's own copy mounted over /usr/bin/ptx in its mount namespace
        let ptx = try Self.niceAfterApply(attack: """
            cp /usr/bin/tail \(directory)/mine && mount --bind \(directory)/mine /usr/bin/ptx && exec /usr/bin/ptx -f /dev/null
            """, comm: "ptx", namespace: true)
        #expect(ptx == 0, "a file mounted over /usr/bin/ptx matched the exe pin")
        // control: the pinned file itself gets the boost, whoever runs it
        let tail = try Self.niceAfterApply(attack: "exec /usr/bin/tail -f /dev/null", comm: "tail", namespace: false)
        #expect(tail == -12, "the pinned /usr/bin/tail did not get its boost")
    }

    @Test func interpretersAndShellsNeverVouch() throws {
        // attack 3a: a shell loop under a name rule for bash (the CachyOS 'bash -> Doc-View')
        let bash = try Self.niceAfterApply(attack: "exec /bin/bash -c 'while sleep 1; do :; done'", comm: "bash", namespace: false)
        #expect(bash == 0, "a user's shell loop got bash's boost")
        // attack 3b: a rule pinned to the interpreter; any python renamed to the rule's name
        let python = try Self.niceAfterApply(attack: """
            exec /usr/bin/python3.11 -c "open('/proc/self/comm', 'w').write('renamed-py'); import time; time.sleep(1000)"
            """, comm: "renamed-py", namespace: false)
        #expect(python == 0, "a renamed python got the boost of an interpreter pin")
    }

    /// Found by the red team: from a user namespace of its own a process may re-point its exe
    /// link (prctl PR_SET_MM_MAP with an exe_fd) at a trusted binary while running other code.
    @Test func anExeLinkRepointedFromAUserNamespaceIsNoIdentity() throws {
        let directory = try Attacker.ownedDirectory()
        let tool = directory + "/repoint"
        try FileManager.default.copyItem(atPath: (Schedcat.binary as NSString).deletingLastPathComponent + "/TestExeRepoint",
                                         toPath: tool)
        chown(tool, Attacker.uid, Attacker.uid)
        try Attacker.require()
        let attacker = try Attacker.start("exec \(tool) /usr/bin/sleep sleep 30")
        defer { attacker.terminate() }
        let pid = try #require(Attacker.pid(comm: "sleep", under: attacker.pid))
        defer { kill(pid, SIGKILL) }
        // the attack is real: the process's exe is the system's sleep, by device and inode
        var running = stat(), real = stat()
        #expect(stat("/proc/\(pid)/exe", &running) == 0 && stat("/usr/bin/sleep", &real) == 0)
        #expect(running.st_dev == real.st_dev && running.st_ino == real.st_ino, "the exe link was not re-pointed")
        _ = try Self.applyOnce()
        #expect(Self.nice(pid) == 0, "a re-pointed exe link earned the system sleep's boost")
    }

    /// Found by the red team: root demoted a user's process to nice 19 (the user may not undo
    /// that); the process renamed itself to a boosted rule's name and apply set nice 0, the rule's
    /// value without its boost. A name alone may demote, never favour.
    @Test func renamingCannotUndoADemotion() async throws {
        try Attacker.require()
        let attacker = try Attacker.start("""
            exec /usr/bin/python3 -c "import time; time.sleep(1.5); open('/proc/self/comm', 'w').write('sleep'); time.sleep(60)"
            """)
        defer { attacker.terminate() }
        let pid = try #require(Attacker.pid(comm: "python3", under: attacker.pid))
        defer { kill(pid, SIGKILL) }
        #expect(setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), 19) == 0)
        #expect(Attacker.pid(comm: "sleep", under: attacker.pid) == pid, "the process did not rename itself")
        _ = try Self.applyOnce()
        #expect(Self.nice(pid) == 19, "renaming undid a demotion")
    }

    /// Found by the red team: a vouched binary got its boost, then (through LD_PRELOAD) exec'd
    /// other code, which kept nice -12 for life. A favour goes when its rule no longer matches.
    @Test func aBoostIsTakenBackWhenTheProcessExecsSomethingElse() async throws {
        try Attacker.require()
        let directory = try Attacker.ownedDirectory()
        try """
            #define _GNU_SOURCE
            #include <stdlib.h>
            #include <unistd.h>
            #include <sys/resource.h>
            __attribute__((constructor)) static void hook(void) {
                unsetenv("LD_PRELOAD");
                for (int i = 0; i < 300 && getpriority(PRIO_PROCESS, 0) >= 0; i++) usleep(50000);
                if (getpriority(PRIO_PROCESS, 0) >= 0) _exit(126);  /* never boosted: no sleep appears */
                char *argv[] = {"/usr/bin/sleep", "60", NULL};
                execv(argv[0], argv);
                _exit(127);
            }
            """.write(toFile: directory + "/evil.c", atomically: true, encoding: .utf8)
        let compiled = try runCommand("/usr/bin/cc", ["-shared", "-fPIC", "-o", directory + "/evil.so", directory + "/evil.c"])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        let catalogDirectory = try Schedcat.temporaryDirectory()
        try "schema: schedcat.catalog/v1\nrules:\n  - { name: tset, type: LowLatency_RT }\n"
            .write(toFile: catalogDirectory + "/catalog.yaml", atomically: true, encoding: .utf8)
        let apply = try BackgroundProcess(Schedcat.binary, ["apply", "--catalog", catalogDirectory + "/catalog.yaml"])
        defer { apply.terminate() }
        try await Task.sleep(nanoseconds: 500_000_000)
        let attacker = try Attacker.start("LD_PRELOAD=\(directory)/evil.so exec /usr/bin/tset")
        defer { attacker.terminate() }
        // the vouched tset got its boost; then it became sleep, which no rule names
        let pid = try #require(Attacker.pid(comm: "sleep", under: attacker.pid, timeout: 20), "tset was never boosted")
        defer { kill(pid, SIGKILL) }
        var nice = Self.nice(pid)
        for _ in 0..<40 where nice != 0 {
            try await Task.sleep(nanoseconds: 100_000_000)
            nice = Self.nice(pid)
        }
        #expect(nice == 0, "the boost stayed with the code tset exec'd")
    }

    @Test func explainSaysWhyABoostWasWithheld() throws {
        let directory = try Attacker.ownedDirectory()
        let attacker = try Attacker.start("""
            touch \(directory)/jackd && mount --bind /usr/bin/sleep \(directory)/jackd && exec \(directory)/jackd 1000
            """, namespace: true)
        defer { attacker.terminate() }
        let pid = try #require(Attacker.pid(comm: "jackd", under: attacker.pid))
        let catalogDirectory = try Schedcat.temporaryDirectory()
        try Self.catalogText.write(toFile: catalogDirectory + "/catalog.yaml", atomically: true, encoding: .utf8)
        let output = try Schedcat.run(["catalog", "explain", "--catalog", catalogDirectory + "/catalog.yaml", "--window", "0.3", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let row = output.json(as: [[String: Any]].self)?.first { $0["pid"] as? Int == Int(pid) }
        #expect(row?["boost_withheld"] as? Bool == true)
        #expect((row?["withheld_because"] as? String)?.contains("only the name vouches") == true, "\(row ?? [:])")
    }
}
