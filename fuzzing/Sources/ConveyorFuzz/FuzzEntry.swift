import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#endif

/// The target this process fuzzes, read once from CONVEYOR_FUZZ_TARGET.
/// A global `let` (initialised once, never mutated) because libFuzzer calls
/// a C function with no context argument.
let selectedTarget: FuzzTarget = {
    guard let raw = getenv("CONVEYOR_FUZZ_TARGET").map({ String(cString: $0) }),
          let target = FuzzTarget(rawValue: raw) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        let message = "set CONVEYOR_FUZZ_TARGET to one of: \(names)\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    return target
}()

/// SwiftPM links executables with `main` aliased to `<module>_main`, so
/// that is our entry point; it hands the flags to libFuzzer's driver.
@_cdecl("ConveyorFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    _ = selectedTarget
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        selectedTarget.run(bytes)
        return 0
    }
}
