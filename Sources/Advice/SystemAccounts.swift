// SPDX-License-Identifier: Apache-2.0
import LinuxSystem

/// Which uids are system accounts: below `UID_MIN` of /etc/login.defs (1000 when it says nothing).
public enum SystemAccounts {
    public static let defaultFirstPersonUID: UInt32 = 1000

    /// Read once per run, through the policy file reader (root-owned, regular, bounded).
    public static let firstPersonUID: UInt32 = {
        guard let bytes = try? PolicyFileReader.read("/etc/login.defs", trusted: true, limit: 1 << 20) else {
            return defaultFirstPersonUID
        }
        return uidMin(in: String(decoding: bytes, as: UTF8.self)) ?? defaultFirstPersonUID
    }()

    /// `UID_MIN` in login.defs text.
    static func uidMin(in text: String) -> UInt32? {
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 2, words[0] == "UID_MIN" { return UInt32(words[1]) }
        }
        return nil
    }

    public static func isSystem(_ uid: UInt32) -> Bool { uid < firstPersonUID }
}
