// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import Testing

@Suite struct CatalogFileTests {
    let valid = "schema: schedcat.catalog/v1\nrules:\n  - { name: a, type: Game }\n"

    @Test func atomicWriteKeepsTheOldFileWhenTheNewContentIsInvalid() throws {
        let path = try Fixtures.temporaryDirectory() + "/catalog.yaml"
        try CatalogFile.writeAtomically(valid, to: path)
        #expect(throws: CatalogInvalid.self) {
            try CatalogFile.writeAtomically("schema: schedcat.catalog/v1\nrules:\n  - { name: a, type: Nope }\n", to: path)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == valid)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == ["catalog.yaml"])
    }

    @Test func replacingKeepsABackupAndRefusesSymlinks() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = directory + "/catalog.yaml"
        try CatalogFile.writeAtomically(valid, to: path)
        let second = valid + "  - { name: b, type: Service }\n"
        try CatalogFile.writeAtomically(second, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == second)
        #expect(try String(contentsOfFile: path + ".bak", encoding: .utf8) == valid)

        let link = directory + "/link.yaml"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(throws: CatalogIOError.self) { try CatalogFile.writeAtomically(valid, to: link) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == second)
        #expect(throws: CatalogIOError.self) { try CatalogFile.create(valid, at: path, overwrite: false) }
    }

    @Test func worldWritableOrForeignCatalogsAreRefused() throws {
        let path = try Fixtures.temporaryDirectory() + "/catalog.yaml"
        try CatalogFile.writeAtomically(valid, to: path)
        #expect(try CatalogFile.load(path).rules.count == 1)
        chmod(path, 0o666)
        let error = #expect(throws: CatalogIOError.self) { try CatalogFile.load(path) }
        #expect(error?.message.contains("world-writable") == true)
        chmod(path, 0o644)
        if geteuid() == 0 {
            chown(path, 12345, 12345)
            let foreign = #expect(throws: CatalogIOError.self) { try CatalogFile.load(path) }
            #expect(foreign?.message.contains("uid 12345") == true)
        }
    }
}
