#!/usr/bin/env python3
"""Cross-checks `ava-tools eval` against the ActivityNet reference evaluator for AVA.

Not a test (the build needs no Python): a tool to reproduce the claim "equal to the reference".
Needs python3 with numpy and a git clone of https://github.com/activitynet/ActivityNet.
It writes random AVA cases that exercise the evaluator's rules (ties in boxes and IoUs, top-50
boundaries with tied scores across classes, duplicated boxes, empty and inverted boxes, classes
outside the label map, exclusions, keyframes without ground truth, 7-column rows), runs the
unmodified reference (the 2018 script with --exclusions, commit 3fee089, or the current one) and
our command, and compares every AP and the mean.

  python3 ava-tools/tools/crosscheck_reference.py --activitynet ~/ActivityNet --cases 300 [--version head]

Scores are unique per class within a case, because the reference orders equal scores with
numpy's unstable argsort (see ava-tools/README.md).
"""
import argparse, json, os, random, shutil, subprocess, sys, tempfile

RUNNER = r'''
import sys, os, json, logging, importlib, pprint
import numpy as np
for name, value in (("bool", bool), ("float", float), ("NAN", float("nan"))):
    if not hasattr(np, name):
        setattr(np, name, value)  # aliases numpy 2 removed, used by the reference
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here); sys.path.insert(0, os.path.join(here, "ava"))
mod = importlib.import_module("get_ava_performance")
captured = {}
mod.pprint.pprint = lambda obj, *a, **k: captured.update(obj)
logging.basicConfig(level=logging.ERROR)
files = [open(p) for p in sys.argv[2:5]]
if sys.argv[1] == "2018":
    files.append(open(sys.argv[5]) if len(sys.argv) > 5 else None)
mod.run_evaluation(*files)
print(json.dumps({k: (None if v != v else float(v)) for k, v in captured.items()}))
'''


def reference_dir(activitynet, version, work):
    d = os.path.join(work, "ref-" + version)
    os.makedirs(os.path.join(d, "ava"), exist_ok=True)
    rev = "3fee089" if version == "2018" else "HEAD"
    def show(path, out):
        text = subprocess.run(["git", "-C", activitynet, "show", f"{rev}:{path}"], check=True, capture_output=True, text=True).stdout
        with open(out, "w") as f:
            f.write(text)
    show("Evaluation/get_ava_performance.py", os.path.join(d, "get_ava_performance.py"))
    names = subprocess.run(["git", "-C", activitynet, "ls-tree", "--name-only", "HEAD", "Evaluation/ava/"], check=True, capture_output=True, text=True).stdout.split()
    for n in names:
        if n.endswith(".py"):
            show(n, os.path.join(d, "ava", os.path.basename(n)))
    with open(os.path.join(d, "run.py"), "w") as f:
        f.write(RUNNER)
    return d


def write_case(r, d, version):
    ids = sorted(r.sample(range(1, 10), r.randint(1, 6)))
    with open(d + "/lm.pbtxt", "w") as f:
        for i in ids:
            f.write('item {\n  name: "c%d"\n  id: %d\n}\n' % (i, i))
    q = r.choice([1, 2, 3])
    def box():
        x1, y1 = round(r.random() * 0.8, q), round(r.random() * 0.8, q)
        return [x1, y1, round(min(1, x1 + r.random() * 0.5), q), round(min(1, y1 + r.random() * 0.5), q)]
    keys = list(dict.fromkeys(("v%d" % r.randint(0, 2), 902 + r.randint(0, 6)) for _ in range(r.randint(1, 8))))
    gt, det, used, persons = [], [], set(), {}
    for k in keys:
        if r.random() < 0.8:
            ps = [box() for _ in range(r.randint(1, 4))]
            if r.random() < 0.3:
                ps.append(list(ps[0]))
            persons[k] = ps
            for pid, b in enumerate(ps):
                for a in r.sample(range(1, 10), r.randint(1, 3)):
                    gt.append((k, b, a, pid if r.random() < 0.9 else r.randint(0, 3)))
    for k in keys + [("v9", 905)]:
        cands = persons.get(k, []) + [box()]
        for _ in range(r.choice([0, 3, 10, 40, 55, 70])):
            b = list(r.choice(cands))
            if r.random() < 0.5:
                b = [round(min(1, max(0, v + r.uniform(-0.05, 0.05))), q) for v in b]
            if r.random() < 0.05:
                b[2] = b[0]
            if r.random() < 0.03:
                b[0], b[2] = b[2], b[0]
            a = r.randint(1, 9)
            while True:
                s = round(r.random(), 2) if r.random() < 0.4 else round(r.random(), 7)
                if (a, s) not in used:
                    used.add((a, s))
                    break
            det.append((k, b, a, s))
    if r.random() < 0.3:
        r.shuffle(det)
    if r.random() < 0.3:
        r.shuffle(gt)
    with open(d + "/gt.csv", "w") as f:
        for k, b, a, p in gt:
            if r.random() < 0.1:
                f.write("%s,%04d,%r,%r,%r,%r,%d\n" % (k[0], k[1], *b, a))
            else:
                f.write("%s,%04d,%r,%r,%r,%r,%d,%d\n" % (k[0], k[1], *b, a, p))
        if version == "head":
            for k in keys:
                if r.random() < 0.3:
                    f.write("%s,%04d\n" % k)
    with open(d + "/det.csv", "w") as f:
        for k, b, a, s in det:
            f.write("%s,%d,%r,%r,%r,%r,%d,%r\n" % (k[0], k[1], *b, a, s))
    ex = None
    if version == "2018" and r.random() < 0.5:
        ex = d + "/ex.csv"
        with open(ex, "w") as f:
            for k in r.sample(keys, min(len(keys), r.randint(1, 2))):
                f.write("%s,%04d\n" % k)
    return ids, [d + "/lm.pbtxt", d + "/gt.csv", d + "/det.csv"] + ([ex] if ex else [])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--activitynet", required=True, help="git clone of activitynet/ActivityNet")
    ap.add_argument("--cases", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--version", choices=["2018", "head"], default="2018")
    ap.add_argument("--launcher", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bin", "ava-tools"))
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ava-crosscheck-")
    ref = reference_dir(a.activitynet, a.version, work)
    worst, failures = 0.0, 0
    for seed in range(a.seed, a.seed + a.cases):
        d = os.path.join(work, "case%d" % seed)
        os.makedirs(d)
        ids, files = write_case(random.Random(seed), d, a.version)
        expected = json.loads(subprocess.run([sys.executable, os.path.join(ref, "run.py"), a.version] + files, check=True, capture_output=True, text=True).stdout)
        cmd = [a.launcher, "eval", "--no-progress", "--json", d + "/ours.json", "--labelmap", files[0], "--groundtruth", files[1], "--detections", files[2]]
        if len(files) > 3:
            cmd += ["--exclusions", files[3]]
        if a.version == "head":
            cmd += ["--only-groundtruth-keys"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            print("case", seed, "failed:", p.stderr.strip())
            failures += 1
            continue
        ours = json.load(open(d + "/ours.json"))
        pairs = [("mAP", expected["PascalBoxes_Precision/mAP@0.5IOU"], ours["mAP"])]
        pairs += [("c%d" % i, expected.get("PascalBoxes_PerformanceByCategory/AP@0.5IOU/c%d" % i), ours["per_class"][str(i)]["ap"]) for i in ids]
        bad = []
        for name, x, y in pairs:
            if x is None or y is None:
                if not (x is None and y is None):
                    bad.append((name, x, y))
            else:
                worst = max(worst, abs(x - y))
                if abs(x - y) > 1e-9:
                    bad.append((name, x, y))
        if bad:
            failures += 1
            print("case", seed, "differs:", bad, "files in", d)
    print("cases %d, failures %d, max |difference| %.3g" % (a.cases, failures, worst))
    if failures:
        print("cases kept in", work)
        sys.exit(1)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
