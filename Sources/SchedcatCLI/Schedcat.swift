// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

@main
struct Schedcat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedcat",
        abstract: "Compile a process catalog (from a model's advice, ananicy rules or a person) into static scheduling policy.",
        version: schedcatVersion,
        subcommands: [CatalogCommand.self, ProfileCommand.self, SchedulerCommand.self, ApplyCatalog.self,
                      DaemonCommand.self]
    )
}

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Read, check, convert and show catalogs.",
        subcommands: [ValidateCatalog.self, ShowCatalog.self, ImportCatalog.self, ExportCatalog.self, GenerateCatalog.self,
                      ExplainCatalog.self, ReviewCatalog.self, DiffCatalog.self, AuditCatalog.self]
    )
}
