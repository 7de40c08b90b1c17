// swift-tools-version: 6.1
// SPDX-License-Identifier: Apache-2.0
import PackageDescription

// One module per pipeline stage. Data flows one way:
//   LinuxSystem (below every stage) -> ProcFS -> Profiling -> Advice -> Catalog <- Compile -> Enforcement
// (see README "Architecture"); no module imports a stage that consumes its output.
let package = Package(
    name: "schedcat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "schedcat", targets: ["SchedcatCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.2.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // The thin system layer: typed errno, safe file opens and writes, executable identity.
        .target(name: "LinuxSystem"),
        .target(name: "ProcFS", dependencies: ["LinuxSystem"]),
        .target(name: "Profiling", dependencies: ["ProcFS", "LinuxSystem"]),
        .target(
            name: "Catalog",
            dependencies: ["LinuxSystem", .product(name: "Yams", package: "Yams")],
            resources: [.embedInCode("default-types.yaml")]
        ),
        .target(name: "Config", dependencies: ["LinuxSystem", .product(name: "Yams", package: "Yams")]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "Advice", dependencies: ["Catalog", "Profiling", "CCurl", "LinuxSystem"]),
        .target(name: "Compile", dependencies: ["Catalog", "ProcFS", "SchedcatABI", "LinuxSystem"]),
        .systemLibrary(name: "SchedcatABI", path: "bpf/abi"),
        .systemLibrary(name: "CLibBPF", path: "Sources/CLibBPF", pkgConfig: "libbpf",
                       providers: [.apt(["libbpf-dev"])]),
        .systemLibrary(name: "CLinuxSyscalls", path: "Sources/CLinuxSyscalls"),
        .target(name: "Enforcement", dependencies: ["Compile", "ProcFS", "CLibBPF", "SchedcatABI", "CLinuxSyscalls", "LinuxSystem"]),
        // Checks the catalog against how the processes it matches really behave.
        .target(name: "Audit", dependencies: ["Catalog", "Compile", "Enforcement", "ProcFS", "LinuxSystem"]),
        .target(name: "Daemon", dependencies: ["Advice", "Catalog", "Config", "Profiling", "LinuxSystem"]),
        .executableTarget(
            name: "SchedcatCLI",
            dependencies: [
                "Catalog", "Config", "Profiling", "Advice", "Compile", "Enforcement", "Daemon", "Audit", "LinuxSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Rainbow", package: "Rainbow"),
            ]
        ),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "TestSupport"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "LinuxSystem", "TestSupport"]),
        // Runs the built schedcat binary from tests; fixtures and temporary directories.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "AdviceTests", dependencies: ["Advice", "Catalog", "Profiling", "TestSupport",
                                                        .product(name: "FlyingFox", package: "FlyingFox")]),
        .testTarget(name: "CLITests", dependencies: ["Catalog", "Profiling", "TestSupport", "CLinuxSyscalls", "LinuxSystem", "TestExeRepoint"]),
        .testTarget(name: "CompileTests", dependencies: ["Compile", "Catalog", "ProcFS", "SchedcatABI", "LinuxSystem"]),
        .testTarget(name: "EnforcementTests", dependencies: ["Enforcement", "Compile", "Catalog", "SchedcatABI", "LinuxSystem", "TestSupport"]),
        // A process that renames itself and burns CPU, for the profiler's tests on the real /proc.
        .executableTarget(name: "TestSpinner"),
        // An attacker for the trust tests: re-points its own exe link from a user namespace.
        .executableTarget(name: "TestExeRepoint"),
        .testTarget(name: "ProcFSTests", dependencies: ["ProcFS", "LinuxSystem"]),
        .testTarget(name: "ProfilingTests", dependencies: ["Profiling", "ProcFS", "TestSpinner", "LinuxSystem", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
