// SPDX-License-Identifier: Apache-2.0
/// The lines between behaviours. Ratios, not absolute times, so that they hold on a loaded
/// two-core machine as well as on an idle workstation.
public enum AuditThresholds {
    /// An interactive program wakes up often (a frame, an audio period, a keystroke); fewer
    /// wakeups per second than this is an idle daemon. Counted over the time it was not held on
    /// a run queue, so that starving a program does not make it look less interactive.
    public static let minWakeupsPerSecond = 20.0
    /// Fewer timeslices than this in a window are too few to judge a behaviour by (a starved
    /// program may get only a handful: those are enough to see short, voluntary runs).
    public static let minTimeslices: UInt64 = 4
    /// It runs in short bursts: a batch job runs for its whole slice (3 ms and more), a reply to
    /// an event takes well under that.
    public static let maxInteractiveBurstNs = 2_000_000.0
    /// Runnable (running or waiting for a CPU) for at least this share of the window and waiting
    /// at its end: starved, whatever its wakeups say (schedstat counts a wait only once it ends).
    public static let minStarvedRunnableShare = 0.5
    /// It gives the CPU up itself (sleeps on an event) at least as often as it is pushed off.
    public static let minVoluntaryShare = 0.5
    /// It uses little CPU: at most this share of one CPU over the window.
    public static let maxInteractiveCPUShare = 0.5
    /// Nerfed: it waits on the run queue at least as long as it runs (the "longer than it runs").
    public static let minNerfedWaitToRun = 1.0
    /// Hog: it wants one CPU for (nearly) the whole window: running or runnable on a run queue
    /// this share of the time (what it gets depends on everything else; what it asks for does not).
    public static let minHogRunnableShare = 0.9
    /// ... while some task waited for a CPU at least this share of the window (PSI cpu "some"):
    /// the CPU is contended, and the boost decides who gets it. (A boosted hog that waits itself
    /// still takes the CPU from everyone below it.)
    public static let minOthersWaitingShare = 0.1
    /// A rule that matched nothing for this many days of daemon ticks is listed as idle.
    public static let idleRuleDays = 14
    /// How far up the parent chain a launcher's inherited settings are looked for.
    public static let maxLauncherDepth = 8
}
