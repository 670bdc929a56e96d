"""Pickles for the restricted Booster pickle reader's tests, written opcode by opcode
(pickle's protocol constants), never produced by pickling objects and never loaded.

Run:  training/run.sh pickles   (or: python3 training/malicious_pickles.py; standard library only)
Writes Tests/SageMakerArtifactsTests/Fixtures/:
  os_system.pkl, posix_system.pkl   GLOBAL os/posix system + REDUCE (touch MARKER)
  builtins_eval.pkl                 protocol 4 STACK_GLOBAL builtins.eval + REDUCE
  inst_subprocess.pkl               INST opcode (subprocess Popen) - no GLOBAL at all
  booster_with_payload.pkl          the Booster layout whose state smuggles os.system
  reconstructor_misuse.pkl          an allowed global (copyreg._reconstructor) called on os.system
  booster_protocol3.pkl             a benign protocol 3 Booster (NEWOBJ + bytearray(bytes)) wrapping
                                    the model bytes of shared/.../xgb_model.tar.gz's pickle, which are
                                    read with pickletools.genops (disassembly only, nothing loaded)
"""
import os
import pickle as P
import pickletools
import struct
import tarfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Tests", "SageMakerArtifactsTests", "Fixtures")
SOURCE = os.path.join(REPO, "..", "shared", "mleap-bundles", "sagemaker-pysdk-titanic-features", "xgb_model.tar.gz")
MARKER = "/tmp/conveyor-pickle-test-marker"


def s(text):  # protocol 0 STRING
    return P.STRING + repr(text).encode() + b"\n"


def binunicode(text):
    data = text.encode()
    return P.BINUNICODE + struct.pack("<I", len(data)) + data


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def real_handle():
    """The bytes of the real pickle's handle, from its disassembly."""
    with tarfile.open(SOURCE) as tar:
        raw = tar.extractfile("xgboost-model").read()
    for opcode, arg, _ in pickletools.genops(raw):
        if opcode.name == "UNICODE" and len(arg) > 1000:
            return arg.encode("latin-1")
    raise SystemExit("no model bytes found")


def main():
    os.makedirs(OUT, exist_ok=True)
    touch = "touch " + MARKER
    write("os_system.pkl", P.GLOBAL + b"os\nsystem\n" + P.MARK + s(touch) + P.TUPLE + P.REDUCE + P.STOP)
    write("posix_system.pkl", P.GLOBAL + b"posix\nsystem\n" + P.MARK + s(touch) + P.TUPLE + P.REDUCE + P.STOP)
    write("builtins_eval.pkl", P.PROTO + b"\x04" + binunicode("builtins") + binunicode("eval") + P.STACK_GLOBAL
          + binunicode("__import__('os').system('" + touch + "')") + P.TUPLE1 + P.REDUCE + P.STOP)
    write("inst_subprocess.pkl", P.MARK + s("sh") + s("-c") + s(touch) + P.INST + b"subprocess\nPopen\n" + P.STOP)
    booster_head = (P.GLOBAL + b"copy_reg\n_reconstructor\n" + P.MARK + P.GLOBAL + b"xgboost.core\nBooster\n"
                    + P.GLOBAL + b"__builtin__\nobject\n" + P.NONE + P.TUPLE + P.REDUCE)
    write("booster_with_payload.pkl", booster_head + P.MARK + P.DICT + s("handle") + P.GLOBAL + b"os\nsystem\n"
          + P.MARK + s(touch) + P.TUPLE + P.REDUCE + P.SETITEM + P.BUILD + P.STOP)
    write("reconstructor_misuse.pkl", P.GLOBAL + b"copy_reg\n_reconstructor\n" + P.MARK + P.GLOBAL
          + b"xgboost.core\nBooster\n" + P.GLOBAL + b"__builtin__\nobject\n" + s(touch) + P.TUPLE + P.REDUCE + P.STOP)
    handle = real_handle()
    write("booster_protocol3.pkl", P.PROTO + b"\x03" + P.GLOBAL + b"xgboost.core\nBooster\n" + P.BINPUT + b"\x00"
          + P.EMPTY_TUPLE + P.NEWOBJ + P.BINPUT + b"\x01" + P.EMPTY_DICT + P.MARK + binunicode("handle")
          + P.GLOBAL + b"builtins\nbytearray\n" + P.BINBYTES + struct.pack("<I", len(handle)) + handle + P.TUPLE1
          + P.REDUCE + binunicode("best_iteration") + P.BININT1 + b"\x05" + P.SETITEMS + P.BUILD + P.STOP)
    with open(os.path.join(OUT, "booster_protocol3.handle.bin"), "wb") as f:
        f.write(handle)
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
