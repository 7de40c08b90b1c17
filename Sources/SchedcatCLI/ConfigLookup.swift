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
