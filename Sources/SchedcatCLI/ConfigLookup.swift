// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Config

/// `--catalog`, else the config file's `catalog`; exit 2 when neither names one.
func catalogPath(_ flag: String?, _ settings: SchedcatConfig, config: String?) throws -> String {
    guard let path = flag ?? settings.catalog else {
        printError("error: no catalog: pass --catalog FILE or set 'catalog' in \(config ?? SchedcatConfig.defaultPath)")
        throw Exit.invalidInput
    }
    return path
}

func loadConfig(_ path: String?) throws -> SchedcatConfig {
    do {
        return try SchedcatConfig.load(path)
    } catch let error as ConfigError {
        printError("error: \(error)")
        throw Exit.invalidInput
    }
}

/// `--timeout` of the commands that ask a model.
let modelTimeoutHelp = "Seconds one model request may wait for its answer; with its retries a request takes at most " +
    "twice this (default: 'timeout' in the config file, else 120)."

func validateModelTimeout(_ seconds: Double?) throws {
    if let seconds, !(seconds > 0 && seconds <= 3600) { throw ValidationError("--timeout: seconds, more than 0 and at most 3600") }
}
