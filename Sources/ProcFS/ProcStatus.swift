// SPDX-License-Identifier: Apache-2.0
/// The fields of /proc/PID/status (or /proc/PID/task/TID/status) that schedcat uses.
/// Context switch counts are per thread: a process's total is the sum over its tasks.
public struct ProcStatus: Sendable, Hashable {
    public var realUID: UInt32
    public var effectiveUID: UInt32
    public var voluntarySwitches: UInt64
    public var involuntarySwitches: UInt64

    public init(realUID: UInt32, effectiveUID: UInt32, voluntarySwitches: UInt64, involuntarySwitches: UInt64) {
        self.realUID = realUID
        self.effectiveUID = effectiveUID
        self.voluntarySwitches = voluntarySwitches
        self.involuntarySwitches = involuntarySwitches
    }

    private static let uidKey = Array("Uid".utf8)
    private static let voluntaryKey = Array("voluntary_ctxt_switches".utf8)
    private static let involuntaryKey = Array("nonvoluntary_ctxt_switches".utf8)

    /// Parses the status text; nil when a field is missing or malformed.
    public init?(_ bytes: [UInt8]) {
        var realUID: UInt32?, effectiveUID: UInt32?, voluntary: UInt64?, involuntary: UInt64?
        ASCIIFields.forEachKeyValue(bytes) { key, value in
            if key.elementsEqual(Self.uidKey) {
                realUID = ASCIIFields.word(0, of: value).flatMap(ASCIIFields.integer)
                effectiveUID = ASCIIFields.word(1, of: value).flatMap(ASCIIFields.integer)
            } else if key.elementsEqual(Self.voluntaryKey) {
                voluntary = ASCIIFields.integer(value)
            } else if key.elementsEqual(Self.involuntaryKey) {
                involuntary = ASCIIFields.integer(value)
            }
        }
        guard let realUID, let effectiveUID, let voluntary, let involuntary else { return nil }
        self.init(realUID: realUID, effectiveUID: effectiveUID, voluntarySwitches: voluntary, involuntarySwitches: involuntary)
    }
}
