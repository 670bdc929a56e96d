#!/usr/bin/env python3
"""Writes hostile XGBoost models, built from the real fixtures in
Tests/Fixtures/xgboost/2.1.4, plus a one-stage pipeline JSON for each, to a
folder. Every hostile model must be refused by `conveyor validate` with exit
3 in bounded time and memory; the `control_*` ones (unchanged fixtures) must
load (exit 0). Python 3 standard library only.

    python3 fuzzing/hostile-xgboost/make_hostile.py /tmp/hostile
    for p in /tmp/hostile/*.pipeline.json; do
        /usr/bin/time -v .build/release/conveyor validate "$p"; echo "exit $?"
    done
"""
import copy
import json
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "xgboost", "2.1.4")


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as handle:
        return handle.read()


def tree0(model):
    return model["learner"]["gradient_booster"]["model"]["trees"][0]


# Tree 0 of binary_logistic is a full tree of depth 3 (nodes 0-14); the
# load-time probe row (all NaN) goes 0 -> 1 -> 3 -> 7, so every edit below is
# on a branch the probe does not take.
def json_cases():
    base = json.loads(fixture("binary_logistic.json"))
    multi = json.loads(fixture("multi_softprob.json"))
    cases = {}

    def edit(name, change, model=base):
        edited = copy.deepcopy(model)
        change(edited)
        cases[name + ".json"] = json.dumps(edited).encode()

    edit("cycle_to_root", lambda m: tree0(m)["right_children"].__setitem__(2, 0))
    edit("cycle_in_subtree", lambda m: tree0(m)["left_children"].__setitem__(5, 2))
    edit("self_loop", lambda m: tree0(m)["left_children"].__setitem__(4, 4))
    edit("child_out_of_range", lambda m: tree0(m)["right_children"].__setitem__(5, 1000))
    edit("child_negative", lambda m: tree0(m)["left_children"].__setitem__(6, -7))
    edit("split_index_ge_num_feature", lambda m: tree0(m)["split_indices"].__setitem__(2, 10))
    edit("array_length_mismatch", lambda m: tree0(m)["split_conditions"].pop())
    edit("num_feature_4e9",
         lambda m: m["learner"]["learner_model_param"].__setitem__("num_feature", "4000000000"))
    edit("num_class_1e9",
         lambda m: m["learner"]["learner_model_param"].__setitem__("num_class", "1000000000"), multi)
    edit("num_trees_2e9",
         lambda m: m["learner"]["gradient_booster"]["model"]["gbtree_model_param"]
         .__setitem__("num_trees", "2000000000"))
    edit("num_nodes_1e8", lambda m: tree0(m)["tree_param"].__setitem__("num_nodes", "100000000"))

    def huge_category(m):
        tree = tree0(m)
        tree["split_type"][2] = 1
        tree["categories_nodes"], tree["categories_segments"] = [2], [0]
        tree["categories_sizes"], tree["categories"] = [1], [2000000000]
    edit("huge_category", huge_category)

    def chain_with_cycle(m):
        # A 200,001-node chain (split k at 2k: left -> next split, right ->
        # leaf 2k+1) whose last split points back at the root: the cycle is
        # found only after walking the whole tree.
        splits = 100000
        nodes = 2 * splits + 1
        left, right, parents = [-1] * nodes, [-1] * nodes, [0] * nodes
        parents[0] = 2147483647
        for k in range(splits):
            node = 2 * k
            left[node], right[node] = node + 2, node + 1
            parents[node + 1] = node
            if node + 2 < nodes:
                parents[node + 2] = node
        left[2 * (splits - 1)] = 0
        tree = tree0(m)
        tree.update(left_children=left, right_children=right, parents=parents,
                    split_indices=[0] * nodes, split_conditions=[0.5] * nodes,
                    default_left=[0] * nodes, split_type=[0] * nodes, loss_changes=[0.0] * nodes,
                    sum_hessian=[1.0] * nodes, base_weights=[0.0] * nodes)
        tree["tree_param"]["num_nodes"] = str(nodes)
    edit("chain_200k_nodes_cycle_at_end", chain_with_cycle)
    return cases


def be(value, width):
    return value.to_bytes(width, "big", signed=value < 0)


def ubjson_cases():
    base = fixture("binary_logistic.ubj")
    cases = {}

    def patch(name, key, expect, offset, data):
        at = base.index(key.encode()) + len(key)
        assert base[at:at + len(expect)] == expect, (name, base[at:at + len(expect)])
        at += offset
        cases[name + ".ubj"] = base[:at] + data + base[at + len(data):]

    patch("ubj_array_length_2e40", "left_children", b"[$l#L", 5, be(1 << 40, 8))
    patch("ubj_array_length_int64_max", "left_children", b"[$l#L", 5, be((1 << 63) - 1, 8))
    patch("ubj_string_length_2e62", "base_score", b"SL", 2, be(1 << 62, 8))
    patch("ubj_container_count_2e50", "tree_info", b"[#L", 3, be(1 << 50, 8))
    # Node 5's left child (element 5 after the 8-byte count) -> the root.
    patch("ubj_cycle", "left_children", b"[$l#L", 13 + 4 * 5, be(0, 4))
    return cases


def legacy_cases():
    base = fixture("binary_logistic.bin")
    objective = struct.unpack_from("<Q", base, 140)[0]
    booster_at = 148 + objective
    gbtree = booster_at + 8 + struct.unpack_from("<Q", base, booster_at)[0]
    tree = gbtree + 160
    nodes = tree + 148
    cases = {}

    def patch(name, offset, fmt, value):
        data = bytearray(base)
        struct.pack_into(fmt, data, offset, value)
        cases[name + ".bin"] = bytes(data)

    # Node layout: parent, left, right, split index, value (20 bytes).
    patch("bin_child_out_of_range", nodes + 20 * 2 + 8, "<i", 1000)
    patch("bin_cycle", nodes + 20 * 2 + 8, "<i", 0)
    patch("bin_child_negative", nodes + 20 * 6 + 4, "<i", -7)
    patch("bin_split_index_ge_num_feature", nodes + 20 * 2 + 12, "<I", 10)
    patch("bin_num_nodes_int32_max", tree + 4, "<i", 2147483647)
    patch("bin_num_nodes_past_end", tree + 4, "<i", 1000000)
    patch("bin_num_feature_4e9", 4 + 4, "<I", 4000000000)
    patch("bin_num_class_1e9", 4 + 8, "<i", 1000000000)
    patch("bin_num_trees_2e9", gbtree, "<i", 2000000000)
    patch("bin_objective_length_2e60", 140, "<Q", 1 << 60)
    return cases


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_hostile.py OUTPUT_FOLDER")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {"control_json.json": fixture("binary_logistic.json"),
             "control_ubj.ubj": fixture("binary_logistic.ubj"),
             "control_bin.bin": fixture("binary_logistic.bin")}
    files.update(json_cases())
    files.update(ubjson_cases())
    files.update(legacy_cases())
    for name, data in sorted(files.items()):
        with open(os.path.join(out, name), "wb") as handle:
            handle.write(data)
        stem = name.rsplit(".", 1)[0]
        pipeline = {"name": stem.replace("_", "-"),
                    "stages": [{"name": "model", "kind": "xgboost", "model": name}]}
        with open(os.path.join(out, stem + ".pipeline.json"), "w") as handle:
            json.dump(pipeline, handle)
        print(f"{stem}: {len(data)} bytes")


if __name__ == "__main__":
    main()
