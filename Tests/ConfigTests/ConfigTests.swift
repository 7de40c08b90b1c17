// SPDX-License-Identifier: Apache-2.0
import Config
import Foundation
import TestSupport
import Testing

/// The settings file: every key, the defaults, and bad input named with its line.
@Suite struct ConfigTests {
    @Test func everySettingIsRead() throws {
        let config = try SchedcatConfig.parse("""
            catalog: /etc/schedcat/catalog.yaml
            endpoint: http://127.0.0.1:8080
            model: qwen2.5-coder-1.5b
            advisor: heuristic
            interval: 90s
            timeout: 30s
            backend: scheduler
            concurrency: 2
            min_confidence: 0.3
            auto_accept: { heuristic: true, model: false, model_boosts: false }
            """, file: "config.yaml")
        #expect(config.catalog == "/etc/schedcat/catalog.yaml" && config.endpoint == "http://127.0.0.1:8080")
        #expect(config.model == "qwen2.5-coder-1.5b" && config.advisor == .heuristic && config.backend == .scheduler)
        #expect(config.interval == .seconds(90) && config.timeout == 30 && config.concurrency == 2)
        #expect(config.minimumConfidence == 0.3)
        #expect(config.autoAccept.heuristic && !config.autoAccept.model && !config.autoAccept.modelBoosts)
    }

    @Test func defaultsWhenEmpty() throws {
        let config = try SchedcatConfig.parse("{}", file: "config.yaml")
        #expect(config == SchedcatConfig())
        #expect(config.interval == .seconds(900) && config.backend == .apply && config.advisor == .model)
        #expect(config.minimumConfidence == 0.5)
    }

    @Test(arguments: [("interval: soon", 1, "a duration"), ("backend: gpu", 1, "apply or scheduler"),
                      ("concurrency: 0", 1, "1..64"), ("min_confidence: 2", 1, "0..1"), ("catalog: x\nbogus: 1", 2, "unknown setting 'bogus'"),
                      ("auto_accept: { model: maybe }", 1, "true or false")])
    func badSettingsNameTheirLine(text: String, line: Int, message: String) {
        #expect {
            try SchedcatConfig.parse(text, file: "config.yaml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.line == line && error.message.contains(message) && "\(error)".hasPrefix("config.yaml:\(line):")
        }
    }

    /// contrib/config.yaml as scripts/install writes it (with @SYSCONFDIR@ filled in).
    @Test func theShippedExampleIsValid() throws {
        let example = Schedcat.packageRoot + "/contrib/config.yaml"
        let text = try String(contentsOfFile: example, encoding: .utf8).replacingOccurrences(of: "@SYSCONFDIR@", with: "/etc")
        let config = try SchedcatConfig.parse(text, file: example)
        #expect(config.catalog == "/etc/schedcat/catalog.yaml")
    }
}
