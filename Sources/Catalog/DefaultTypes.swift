// SPDX-License-Identifier: Apache-2.0
/// The types every catalog inherits, parsed from `catalogs/default-types.yaml` (embedded at build time).
public enum DefaultTypes {
    public static let yaml = String(decoding: PackageResources.default_types_yaml, as: UTF8.self)

    public static let all: [CatalogType] = {
        let (catalog, diagnostics) = CatalogParser.parse(yaml, file: "default-types.yaml", defaults: [])
        guard let catalog, diagnostics.isEmpty else {
            fatalError("embedded default-types.yaml is invalid: \(diagnostics)")
        }
        return catalog.orderedTypes
    }()
}
