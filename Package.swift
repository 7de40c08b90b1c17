// swift-tools-version: 6.1
import PackageDescription

// One module per pipeline stage. Data flows one way:
//   ProcFS -> Profiling -> Advice -> Catalog <- Compile -> Enforcement
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
        .target(name: "ProcFS"),
        .target(name: "Profiling", dependencies: ["ProcFS"]),
        .target(
            name: "Catalog",
            dependencies: [.product(name: "Yams", package: "Yams")],
            resources: [.embedInCode("default-types.yaml")]
        ),
        .target(name: "Config", dependencies: [.product(name: "Yams", package: "Yams")]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "Advice", dependencies: ["Catalog", "Profiling", "CCurl"]),
        .target(name: "Compile", dependencies: ["Catalog", "ProcFS", "SchedcatABI"]),
        .systemLibrary(name: "SchedcatABI", path: "bpf/abi"),
        .systemLibrary(name: "CLibBPF", path: "Sources/CLibBPF", pkgConfig: "libbpf",
                       providers: [.apt(["libbpf-dev"])]),
        .systemLibrary(name: "CLinuxSyscalls", path: "Sources/CLinuxSyscalls"),
        .target(name: "Enforcement", dependencies: ["Compile", "ProcFS", "CLibBPF", "SchedcatABI", "CLinuxSyscalls"]),
        .target(name: "Daemon", dependencies: ["Advice", "Catalog", "Config", "Profiling"]),
        .executableTarget(
            name: "SchedcatCLI",
            dependencies: [
                "Catalog", "Config", "Profiling", "Advice", "Compile", "Enforcement", "Daemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Rainbow", package: "Rainbow"),
            ]
        ),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"]),
        // Runs the built schedcat binary from tests; fixtures and temporary directories.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "AdviceTests", dependencies: ["Advice", "Catalog", "TestSupport",
                                                        .product(name: "FlyingFox", package: "FlyingFox")]),
        .testTarget(name: "CLITests", dependencies: ["Catalog", "TestSupport", "CLinuxSyscalls"]),
        .testTarget(name: "CompileTests", dependencies: ["Compile", "Catalog", "ProcFS", "SchedcatABI"]),
        .testTarget(name: "EnforcementTests", dependencies: ["Enforcement", "Compile", "Catalog", "SchedcatABI"]),
        // A process that renames itself and burns CPU, for the profiler's tests on the real /proc.
        .executableTarget(name: "TestSpinner"),
        .testTarget(name: "ProcFSTests", dependencies: ["ProcFS"]),
        .testTarget(name: "ProfilingTests", dependencies: ["Profiling", "ProcFS", "TestSpinner"]),
    ],
    swiftLanguageModes: [.v6]
)
