// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wardsleep",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wardsleep", targets: ["wardsleep"]),
        .library(name: "WardsleepKit", targets: ["WardsleepKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        // libcsv (Debian libcsv-dev): the RFC 4180 parser every export goes through.
        .systemLibrary(name: "CLibcsv", path: "Sources/CLibcsv", providers: [.apt(["libcsv-dev"])]),
        // libRmath (Debian r-mathlib): R's own distribution functions.
        .systemLibrary(name: "CRmath", path: "Sources/CRmath", providers: [.apt(["r-mathlib"])]),
        // Small system calls Foundation does not offer (an atomic directory exchange).
        .target(name: "CSystem", path: "Sources/CSystem"),
        .target(
            name: "WardsleepKit",
            dependencies: [
                "CLibcsv", "CRmath", "CSystem",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Release builds skip the run-time exclusivity checks on the per-row path (a tenth of ingest time, in class
            // properties the parser callbacks touch); debug builds, which the tests run, keep every check.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .executableTarget(
            name: "wardsleep",
            dependencies: [
                "WardsleepKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "WardsleepKitTests",
            dependencies: ["WardsleepKit", "wardsleep"],
            exclude: ["Corpus"]  // read by path in the fuzz test, not bundled
        ),
    ]
)
