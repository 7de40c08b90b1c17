// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

@main
struct Schedcat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedcat",
        abstract: "Compile a process catalog (from a model's advice, ananicy rules or a person) into static scheduling policy.",
        discussion: """
        The pipeline: profile (a /proc snapshot), catalog generate (a model's advice for unseen \
        processes), catalog review (a person decides), then scheduler load (the sched_ext scheduler) \
        or apply (nice, policy, ioprio, affinity), and daemon to keep the catalog fresh.

        Files (under /usr/local instead of /usr when installed by scripts/install): \
        /etc/schedcat/config.yaml, defaults for every command; /etc/schedcat/catalog.yaml, the \
        catalog; /usr/share/schedcat/catalogs/, the default types and the starter catalog; \
        /usr/lib/schedcat/scx_catalog.bpf.o, the sched_ext scheduler; the units \
        schedcat-apply.service, schedcat-scheduler.service and schedcat-regenerate.timer, \
        installed but not enabled.

        Exit status: 0 on success; 2 for invalid input (a catalog, config or snapshot that does not \
        validate); 64 for a command line that cannot be parsed; 1 for any other failure.
        """,
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
