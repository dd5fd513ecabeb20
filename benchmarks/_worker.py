"""Worker process: one per solver, so that a crash, a hang (killed after a timeout) or a
leaked thread of one peer never takes the run down, and every solver runs alone on the machine
(the harness sends one request at a time). The worker imports its peer, warms it up on tiny
data (numba JIT of skglm, etc.), then serves requests:

    {"op": "solve", "problem": path, "l1_ratio", "alphas", "tol", "single", "reps", "mem"}
        -> {"times": [...], "gaps": [...], "nnz": [...], "mem_mb": float | None}
    {"op": "ridge", "problem": path, "alphas"}  -> {"times": [...], "coef": W}
    {"op": "cv", "problem": path, "grid", "tol", "kind"} -> {"times": [...], "alpha": a}

Peak memory ("mem": True): just before the call the kernel's peak-RSS counter of this process
is reset (`echo 5 > /proc/self/clear_refs`), and after the call VmHWM - VmRSS(before) is the
peak *additional resident memory* of the call (everything: numpy, C/C++/Fortran mallocs,
copies of X), measured exactly by the kernel, no sampling. It is measured in a fresh worker
started with MALLOC_MMAP_THRESHOLD_=65536 so that glibc returns large freed blocks to the OS
instead of recycling them unseen (see run.py), never in a timed worker.
"""
import gc
import os
import sys
import time
import traceback
import warnings


def _status_mb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def _reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def main(conn, peer_name, self_impl, log_path, bench_dir):
    # peers print (celer/skglm verbose, R, warnings): keep the pipe and the console clean
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    sys.stdout = os.fdopen(1, "w", buffering=1)
    sys.stderr = os.fdopen(2, "w", buffering=1)
    warnings.simplefilter("ignore")
    import tempfile
    tempfile.tempdir = os.path.dirname(log_path)  # glmnet's files go to the run's tmp dir
    sys.path.insert(0, bench_dir)
    import _gap
    import _problems
    import _solvers
    import numpy as np

    peer = _solvers.make_peer(peer_name, self_impl)
    try:
        version = peer.setup()
        t0 = time.perf_counter()
        peer.warmup()
        # move everything imported so far out of the collector's reach: the gc.collect()
        # before each timed request then costs ~nothing
        gc.collect()
        gc.freeze()
        conn.send({"ok": True, "version": version, "warmup_s": time.perf_counter() - t0})
    except BaseException as e:  # noqa: BLE001 - report anything, e.g. ImportError
        traceback.print_exc()
        conn.send({"ok": False, "error": f"{type(e).__name__}: {e}"})
        return

    loaded = {"path": None, "X": None, "y": None}

    def problem(path):
        if loaded["path"] != path:
            loaded["X"] = loaded["y"] = None
            gc.collect()
            loaded["X"], loaded["y"] = _problems.load(path)
            loaded["path"] = path
        return loaded["X"], loaded["y"]

    while True:
        try:
            req = conn.recv()
        except EOFError:
            break
        if req["op"] == "quit":
            break
        try:
            X, y = problem(req["problem"])
            res = {"times": []}
            if req["op"] == "solve":
                alphas = np.asarray(req["alphas"], dtype=np.float64)
                W = None
                gc.collect()  # once: a full collection per repetition costs more than a fit
                if peer_name == "glmnet":  # R repeats the fit itself, returns the best time
                    W, dt = peer.solve(X, y, alphas, req["l1_ratio"], req["tol"],
                                       req["single"], reps=req.get("reps", 1),
                                       mem=bool(req.get("mem")))
                    res["times"].append(dt)
                    if req.get("mem"):
                        res["mem_mb"] = peer.last_mem_mb
                for r in range(req.get("reps", 1) if peer_name != "glmnet" else 0):
                    W = None
                    mem = req.get("mem") and r == 0
                    if mem:
                        ok = _reset_peak()
                        rss0 = _status_mb("VmRSS")
                    W, dt = peer.solve(X, y, alphas, req["l1_ratio"], req["tol"],
                                       req["single"])
                    if mem:
                        res["mem_mb"] = (_status_mb("VmHWM") - rss0) if ok else None
                    res["times"].append(dt)
                gaps = _gap.relative_gaps(X, y, W, alphas, req["l1_ratio"])
                res["gaps"] = gaps.tolist()
                res["nnz"] = (W != 0).sum(axis=0).tolist()
            elif req["op"] == "ridge":
                W, dt = peer.ridge(X, y, np.asarray(req["alphas"]))
                res["times"].append(dt)
                res["coef"] = W
            elif req["op"] == "cv":
                a, dt = peer.cv(X, y, np.asarray(req["grid"]), req["tol"], req["kind"])
                res["times"].append(dt)
                res["alpha"] = a
            else:
                raise ValueError(req["op"])
        except BaseException as e:  # noqa: BLE001 - one failing call is one "err" cell
            traceback.print_exc()
            res = {"error": f"{type(e).__name__}: {str(e)[:300]}"}
        sys.stdout.flush()
        conn.send(res)
    peer.close()
