import Foundation

extension FileTree {
    /// Symlinks inside the root become copies of their targets. Every copy
    /// is charged to the budget like a file, so links cannot multiply an
    /// archive (a chain of links to `.` doubles the files at each step).
    mutating func resolveLinks(_ links: [(path: String, target: String)], budget: inout ArchiveBudget) throws {
        for link in links {
            if let data = files[link.target] {
                try budget.charge(bytes: data.count, path: link.path)
                add(link.path, data)
            } else {
                // A link to a directory: copy every file below it.
                try budget.chargeLinkWork(files.count, link: link.path)
                let prefix = link.target.isEmpty ? "" : link.target + "/"
                var below: [(path: String, data: Data)] = []
                for (path, data) in files where path.hasPrefix(prefix) { below.append((path, data)) }
                for (path, data) in below {
                    let copy = link.path + "/" + path.dropFirst(prefix.count)
                    try budget.charge(bytes: data.count, path: copy)
                    add(copy, data)
                }
            }
        }
    }
}
