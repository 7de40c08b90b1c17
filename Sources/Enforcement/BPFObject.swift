// SPDX-License-Identifier: Apache-2.0
import CLibBPF
import Foundation

public struct BPFError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// `what` failed with libbpf's negative error code or errno.
    static func libbpf(_ what: String, _ code: Int32) -> BPFError {
        let number = code < 0 ? -code : code
        return BPFError("\(what): \(String(cString: strerror(number))) (\(number))")
    }
}

/// A libbpf `bpf_object`: opened from an ELF file, loaded into the kernel, closed on deinit.
public final class BPFObject {
    let object: OpaquePointer
    public let path: String

    public init(path: String, verboseLog: Bool = false) throws {
        schedcat_libbpf_logging(verboseLog ? 1 : 0)
        guard FileManager.default.fileExists(atPath: path) else { throw BPFError("\(path): no such BPF object") }
        guard let object = bpf_object__open_file(path, nil) else {
            throw BPFError.libbpf("\(path): cannot open BPF object", schedcat_errno())
        }
        self.object = object
        self.path = path
    }

    deinit { bpf_object__close(object) }

    public var programNames: [String] {
        var names: [String] = []
        var program = bpf_object__next_program(object, nil)
        while let current = program {
            names.append(String(cString: bpf_program__name(current)))
            program = bpf_object__next_program(object, current)
        }
        return names
    }

    /// Maps only: no program is loaded and struct_ops maps are not created (for hosts without
    /// sched_ext, and for tests).
    public func disableProgramsAndStructOps() {
        var program = bpf_object__next_program(object, nil)
        while let current = program {
            bpf_program__set_autoload(current, false)
            program = bpf_object__next_program(object, current)
        }
        var map = bpf_object__next_map(object, nil)
        while let current = map {
            if bpf_map__type(current) == BPF_MAP_TYPE_STRUCT_OPS { bpf_map__set_autocreate(current, false) }
            map = bpf_object__next_map(object, current)
        }
    }

    public func load() throws {
        let result = bpf_object__load(object)
        if result != 0 { throw BPFError.libbpf("\(path): the kernel refused the BPF object", result) }
    }

    public func map(_ name: String) throws -> BPFMap {
        guard let map = bpf_object__find_map_by_name(object, name) else { throw BPFError("\(path): no map '\(name)'") }
        let fd = bpf_map__fd(map)
        guard fd >= 0 else { throw BPFError("map '\(name)' is not loaded") }
        return BPFMap(fd: fd, name: name, keySize: Int(bpf_map__key_size(map)), valueSize: Int(bpf_map__value_size(map)),
                      maxEntries: Int(bpf_map__max_entries(map)), perCPU: isPerCPU(bpf_map__type(map)), ownsFD: false,
                      owner: self)
    }

    /// Attaches every tracing program (tp_btf) of the object.
    public func attachTracingPrograms() throws -> [BPFLink] {
        var links: [BPFLink] = []
        var program = bpf_object__next_program(object, nil)
        while let current = program {
            let section = String(cString: bpf_program__section_name(current))
            if section.hasPrefix("tp_btf/") {
                guard let link = bpf_program__attach(current) else {
                    throw BPFError.libbpf("attaching \(section)", schedcat_errno())
                }
                links.append(BPFLink(link))
            }
            program = bpf_object__next_program(object, current)
        }
        return links
    }

    public func attachStructOps(_ name: String) throws -> BPFLink {
        guard let map = bpf_object__find_map_by_name(object, name) else { throw BPFError("\(path): no struct_ops '\(name)'") }
        guard let link = bpf_map__attach_struct_ops(map) else {
            throw BPFError.libbpf("attaching the sched_ext scheduler", schedcat_errno())
        }
        return BPFLink(link)
    }
}

/// An attachment; detached when destroyed (or when the process dies and its fds close).
public final class BPFLink {
    private var link: OpaquePointer?
    init(_ link: OpaquePointer) { self.link = link }

    public func destroy() {
        if let link { bpf_link__destroy(link) }
        link = nil
    }

    deinit { destroy() }
}

func isPerCPU(_ type: bpf_map_type) -> Bool {
    type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_LRU_PERCPU_HASH
}
