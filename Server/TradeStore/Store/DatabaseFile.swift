import Foundation

/// What is at a database path before SQLite touches it.
///
/// SQLite happily creates an empty database wherever it may write, and reports a
/// damaged file only at the first query. Looking first lets the store say exactly
/// why it refuses, and guarantees it never starts an empty store over something
/// that exists but cannot be used.
enum DatabaseFile {
    enum State: Equatable {
        /// Nothing there: a new store may be created.
        case absent
        /// An SQLite file that this process can read and write.
        case usable
    }

    /// The 16 bytes every SQLite 3 database file starts with.
    static let sqliteMagic = Array("SQLite format 3\0".utf8)

    /// Checks `path` (absolute). Throws when it exists but is no usable, writable
    /// SQLite file, or when its folder cannot be written (WAL mode keeps two more
    /// files, `-wal` and `-shm`, beside the database).
    static func inspect(_ path: String) throws(TradeStoreError) -> State {
        var info = stat()
        if lstat(path, &info) != 0 {
            let code = errno
            if code == ENOTDIR { throw .unreadable(path, "part of its path is a file, not a folder") }
            guard code == ENOENT else { throw .unreadable(path, String(cString: strerror(code))) }
            return .absent
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .unreadable(path, "it is a folder, not a database file") }
        let fd = Foundation.open(path, O_RDONLY)
        if fd < 0 { throw .unreadable(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 100)
        let count = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, 100) }
        if count < 0 { throw .unreadable(path, String(cString: strerror(errno))) }
        if count == 0 { throw .corrupt(path, "the file is empty (0 bytes), and a store this program created never is") }
        if count < 100 || Array(header[0..<16]) != sqliteMagic {
            throw .corrupt(path, "file is not a database (its first bytes are not SQLite's header)")
        }
        try checkWritable(path)
        return .usable
    }

    /// The database, its folder and any leftover `-wal`/`-shm` files must be
    /// writable; `access` also reports a read-only file system (EROFS), which
    /// permission bits never show to root.
    static func checkWritable(_ path: String) throws(TradeStoreError) {
        for file in [path, path + "-wal", path + "-shm"] where access(file, F_OK) == 0 {
            if access(file, W_OK) != 0 { throw .readOnly(file, String(cString: strerror(errno))) }
        }
        let folder = (path as NSString).deletingLastPathComponent
        if access(folder, W_OK) != 0 {
            throw .readOnly(path, "its folder \(folder) is not writable (\(String(cString: strerror(errno))))")
        }
    }

    /// Creates the folders above `path` if they are missing.
    static func createParentFolder(of path: String) throws(TradeStoreError) {
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            if !isFolder.boolValue { throw .unreadable(path, "\(folder) is a file, not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .readOnly(path, "cannot create its folder \(folder): \(error.localizedDescription)")
        }
    }

    /// Makes a rename in `folder` durable (the directory entry itself is data).
    static func syncFolder(_ folder: String) {
        let fd = Foundation.open(folder, O_RDONLY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
