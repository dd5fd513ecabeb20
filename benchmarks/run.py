#!/usr/bin/env python
"""skreg benchmark: skreg side by side with scikit-learn, celer, skglm, adelie, R glmnet,
Intel oneDAL (daal4py / sklearnex), IBM Snap ML and python-glmnet.

    python benchmarks/run.py [--quick] [--only ROWSPEC] [--out benchmarks/results.md]
                             [--self {skreg,sklearn}] [--peers sklearn,celer,...] [--no-mem]

Every solver gets the same data and the same alpha grid; its tolerance is calibrated until the
relative duality gap recomputed from its coefficients by one formula (_gap.py) meets the
target at every alpha (tight 1e-6, loose 3e-5); time ratios skreg / peer are reported for the
runs that met it. See README.md. ``--self sklearn`` lets scikit-learn stand in for skreg (to
test the harness while skreg does not import).

ROWSPEC: comma-separated shell patterns on row ids ``problem/task/target``, e.g.
``--only 'dense_pn/lasso_path/*,diabetes'`` (a bare prefix such as ``diabetes`` or
``sparse/enet_path`` selects everything under it). Tasks: lasso_fit10, lasso_fit100,
lasso_path, enet_fit10, enet_fit100, enet_path, ridge50, lassocv, pathsearch;
targets: loose, tight, - (ridge / CV rows).
"""
import argparse
import datetime
import fnmatch
import multiprocessing as mp
import os
import platform
import shutil
import signal
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import _gap  # noqa: E402
import _problems  # noqa: E402

TARGETS = {"loose": 3e-5, "tight": 1e-6}
PEERS = ("sklearn", "celer", "skglm", "adelie", "glmnet", "onedal", "snapml",
         "glmnetpy")  # columns, skreg is the reference
COLNAME = {"glmnet": "R glmnet", "onedal": "oneDAL", "snapml": "Snap ML",
           "glmnetpy": "glmnet-py", "gridsearch": "GridSearchCV"}  # display names
SOLVE_TASKS = {  # task -> (l1_ratio, kind, alpha fraction of alpha_max for single fits)
    "lasso_fit10": (1.0, "fit", 10.0),
    "lasso_fit100": (1.0, "fit", 100.0),
    "lasso_path": (1.0, "path", None),
    "enet_fit10": (0.5, "fit", 10.0),
    "enet_fit100": (0.5, "fit", 100.0),
    "enet_path": (0.5, "path", None),
}
TASK_LABEL = {
    "lasso_fit10": "Lasso fit α_max/10",
    "lasso_fit100": "Lasso fit α_max/100",
    "lasso_path": "Lasso path, 100 α",
    "enet_fit10": "ENet(ρ=.5) fit α_max/10",
    "enet_fit100": "ENet(ρ=.5) fit α_max/100",
    "enet_path": "ENet(ρ=.5) path, 100 α",
    "ridge50": "Ridge, 50 α (exact)",
    "lassocv": "LassoCV 5-fold × 50 α",
    "pathsearch": "PathSearchCV 5-fold × 50 α",
}
N_PATH, EPS_PATH, N_CV = 100, 1e-3, 50
MAX_TRIES = 6  # start value + 5 tightenings by 10


def log(msg):
    print(f"[{time.perf_counter() - T0:7.1f}s] {msg}", flush=True)


T0 = time.perf_counter()


# ----------------------------------------------------------------------------- workers
class Worker:
    """A peer in its own process (see _worker.py). Calls time out; a dead or killed worker
    is restarted on the next call."""

    def __init__(self, peer, self_impl, tmpdir, mem=False, setup_timeout=600):
        self.peer, self.self_impl, self.tmpdir, self.mem = peer, self_impl, tmpdir, mem
        self.setup_timeout = setup_timeout
        self.proc = self.conn = None
        self.version = None
        self.broken = None  # permanent failure (not installed)
        self.log_path = os.path.join(tmpdir, f"worker_{peer}{'_mem' if mem else ''}.log")

    def launch(self):
        """Start the process (it imports and warms up in the background)."""
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        from _worker import main
        saved = os.environ.get("MALLOC_MMAP_THRESHOLD_")
        if self.mem:  # only the memory workers; timed workers keep glibc's defaults
            os.environ["MALLOC_MMAP_THRESHOLD_"] = "65536"
        try:
            self.proc = ctx.Process(target=main, args=(child, self.peer, self.self_impl,
                                                       self.log_path, HERE), daemon=True)
            self.proc.start()
        finally:
            if self.mem:
                if saved is None:
                    os.environ.pop("MALLOC_MMAP_THRESHOLD_", None)
                else:
                    os.environ["MALLOC_MMAP_THRESHOLD_"] = saved
        child.close()
        self.conn = parent

    def wait_ready(self):
        parent = self.conn
        if not parent.poll(self.setup_timeout):
            self.kill()
            self.broken = "setup timeout"
            return False
        try:
            msg = parent.recv()
        except EOFError:
            self.kill()
            self.broken = "crashed at import"
            return False
        if not msg["ok"]:
            self.kill()
            self.broken = msg["error"]
            return False
        self.version = msg["version"]
        return True

    def start(self):
        self.launch()
        return self.wait_ready()

    def alive(self):
        return self.proc is not None and self.proc.is_alive()

    def call(self, req, timeout):
        """-> (result dict | None, status) with status 'ok', 'err: ...', 'timeout', 'n/a'."""
        if self.broken:
            return None, "n/a"
        if not self.alive() and not self.start():
            return None, "n/a"
        self.conn.send(req)
        if not self.conn.poll(timeout):
            self.kill()
            return None, "timeout"
        try:
            res = self.conn.recv()
        except EOFError:
            self.kill()
            return None, "err: worker crashed"
        if "error" in res:
            return None, "err: " + res["error"]
        return res, "ok"

    def kill(self):
        if self.proc is not None and self.proc.is_alive():
            try:  # glmnet's worker has an Rscript child: end it too (by pid)
                import psutil
                for c in psutil.Process(self.proc.pid).children(recursive=True):
                    c.kill()
            except Exception:
                pass
            self.proc.kill()
            self.proc.join(5)
        self.proc = None

    def stop(self):
        if self.alive():
            try:
                self.conn.send({"op": "quit"})
                self.proc.join(20)
            except Exception:
                pass
        self.kill()


# ----------------------------------------------------------------------------- cells
class Cell:
    def __init__(self, status, time=None, tol=None, gap=None, tries=(), note=""):
        self.status, self.time, self.tol, self.gap = status, time, tol, gap
        self.tries, self.note = list(tries), note
        self.why = ""  # short reason of an n/a cell ("not installed", "sparse", "p>n", ...)

    @property
    def ok(self):
        return self.status == "ok"


def n_reps(t, quick):
    """Best of a few repetitions: >= 2, or 1 for runs over ~20 s (quick: fewer); short runs
    are repeated until they add up to ~0.25 s (quick: ~0.05 s), at most 30 times."""
    if quick:
        return 1 if t >= 2.0 else max(2, min(30, int(np.ceil(0.05 / max(t, 1e-6)))))
    if t >= 20.0:
        return 1
    return max(2 if t >= 5.0 else 3, min(30, int(np.ceil(0.25 / max(t, 1e-6)))))


def calibrate(worker, path, alphas, l1_ratio, single, target, start_tol, opts):
    """Tighten tol (/10) from start_tol until every alpha's recomputed relative gap <= target;
    the first successful call is the first timed repetition (warm-up already done)."""
    tol, tries, spent = start_tol, [], 0.0
    deadline = time.perf_counter() + opts.cell_budget
    best_gap = None
    for _ in range(MAX_TRIES):
        remaining = max(1.0, min(opts.timeout, deadline - time.perf_counter()))
        req = {"op": "solve", "problem": path, "alphas": alphas, "l1_ratio": l1_ratio,
               "tol": tol, "single": single, "reps": 1}
        res, status = worker.call(req, remaining)
        if status == "n/a":  # a restart after a timeout / crash failed
            return _broken_cell(worker)
        if status != "ok":
            return Cell(status.split(":")[0], tol=tol,
                        tries=tries, note=status,
                        time=remaining if status == "timeout" else None)
        g, t = max(res["gaps"]), res["times"][0]
        tries.append((tol, g, t))
        best_gap = g if best_gap is None else min(best_gap, g)
        spent += t
        if g <= target:
            times = [t]
            more = n_reps(t, opts.quick) - 1
            if more > 0:
                req["reps"] = more
                res2, status2 = worker.call(req, min(opts.timeout, 10 * t * more + 60))
                if status2 == "ok" and max(res2["gaps"]) <= target:
                    times += res2["times"]
            return Cell("ok", time=min(times), tol=tol, gap=g, tries=tries)
        if time.perf_counter() > deadline:
            break
        tol /= 10.0
    return Cell("miss", time=tries[-1][2], tol=tries[-1][0], gap=best_gap, tries=tries,
                note=f"best rel. gap {best_gap:.1e} > {target:.0e}")


def retime(row, workers, path, alphas, l1_ratio, single, target, opts, rounds=2):
    """Time short cells again, solvers interleaved, keeping each one's best.

    The cells of a row are first timed one solver after the other; on a shared machine a slow
    spell can then fall on one solver only. Round-robin repetitions at the calibrated tol
    give every solver the same spells. Cells over 2 s are left as they are (their own
    repetitions already span the noise)."""
    names = [n for n, c in row.cells.items() if c.ok and c.time is not None and c.time < 2.0]
    for k in range(0 if opts.quick or not names else rounds):
        for name in names[k % len(names):] + names[:k % len(names)]:
            cell = row.cells[name]
            req = {"op": "solve", "problem": path, "alphas": alphas, "l1_ratio": l1_ratio,
                   "tol": cell.tol, "single": single, "reps": n_reps(cell.time, opts.quick)}
            res, status = workers[name].call(req, opts.timeout)
            if status == "ok" and max(res["gaps"]) <= target:
                cell.time = min([cell.time] + res["times"])


# ----------------------------------------------------------------------------- rows
class Row:
    def __init__(self, problem, task, target):
        self.problem, self.task, self.target = problem, task, target
        self.cells = {}  # solver name -> Cell ("skreg", peers, "gridsearch")
        self.note = ""
        self.num = 0

    @property
    def id(self):
        return f"{self.problem}/{self.task}/{self.target}"

    def ref(self):
        return self.cells.get("skreg")

    def ratio(self, name):
        r, c = self.ref(), self.cells.get(name)
        if r is None or c is None or not r.ok or not c.ok or not c.time:
            return None
        return r.time / c.time

    def flagged(self):
        r = self.ref()
        if r is None or r.status in ("n/a", "skipped"):
            return False
        if not r.ok:
            return True
        return any((self.ratio(n) or 0) > 1.0 for n in self.cells if n != "skreg")


def selected(row_id, patterns):
    if not patterns:
        return True
    return any(fnmatch.fnmatch(row_id, p) or row_id.startswith(p.rstrip("/") + "/")
               for p in patterns)


def _na(note, why):
    c = Cell("n/a", note=note)
    c.why = why
    return c


PEER_MODULES = {"celer": ("celer",), "skglm": ("skglm",), "adelie": ("adelie",),
                "onedal": ("daal4py", "sklearnex"), "snapml": ("snapml",),
                "glmnetpy": ("glmnet",)}


def _broken_cell(w):
    """n/a cell of a peer whose worker did not start: "not installed" when the library itself
    (or Rscript / R glmnet) is missing, "failed to start" otherwise (details in the note)."""
    b = w.broken or ""
    missing = any(f"No module named '{m}'" in b for m in PEER_MODULES.get(w.peer, ()))
    why = "not installed" if missing or "Rscript" in b else "failed to start"
    return _na(b, why)


def run_problem(name, desc, path, X, y, workers, mem_workers, opts, rows_out, mem_out):
    dense = not hasattr(X, "tocsc")
    n_obs, n_feat = X.shape
    peers = [p for p in PEERS if p in workers]
    loose_tols = {}  # (task, solver) -> calibrated tol at the loose target
    for task, (rho, kind, frac) in SOLVE_TASKS.items():
        amax = _gap.alpha_max(X, y, rho)
        if kind == "path":
            alphas = amax * np.geomspace(1.0, EPS_PATH, N_PATH)
        else:
            alphas = np.array([amax / frac])
        for tname in ("loose", "tight"):
            row = Row(name, task, tname)
            if not selected(row.id, opts.only):
                continue
            target = TARGETS[tname]
            for solver in ("skreg",) + tuple(peers):
                w = workers[solver]
                if w.broken:
                    row.cells[solver] = _broken_cell(w)
                    continue
                why = _TOL_PEERS[solver].why_not(n_obs, n_feat, not dense, rho)
                if why:  # the library cannot solve this problem / task
                    row.cells[solver] = _na(f"unsupported: {why}", why)
                    continue
                start = w_tol_start(solver, target, amax)
                if tname == "tight" and (task, solver) in loose_tols:
                    start = max(start, loose_tols[(task, solver)] * target / TARGETS["loose"])
                cell = calibrate(w, path, alphas, rho, kind == "fit", target, start, opts)
                row.cells[solver] = cell
                if tname == "loose" and cell.ok:
                    loose_tols[(task, solver)] = cell.tol
            retime(row, workers, path, alphas, rho, kind == "fit", target, opts)
            rows_out.append(row)
            log(f"{row.id:34s} " + "  ".join(_short(s, c) for s, c in row.cells.items()))
            # peak memory: one row (default Lasso fit at alpha_max/100, loose target; a path
            # would double the cost of the slowest cells), each solver at its calibrated tol
            if opts.mem and task == opts.mem_task and tname == "loose":
                for solver, cell in row.cells.items():
                    if not cell.ok:
                        continue
                    mw = mem_workers[solver]
                    req = {"op": "solve", "problem": path, "alphas": alphas, "l1_ratio": rho,
                           "tol": cell.tol, "single": False, "reps": 1, "mem": True}
                    res, status = mw.call(req, opts.timeout)
                    mem_out.setdefault(name, {})[solver] = (
                        res.get("mem_mb") if status == "ok" else status.split(":")[0])

    # Ridge: skreg.Ridge vs sklearn Ridge vs sklearnex Ridge (oneDAL), exact solvers,
    # coefficients compared to scikit-learn's
    row = Row(name, "ridge50", "-")
    if selected(row.id, opts.only):
        if not dense:
            row.note = "skipped: no exact sparse solver at this size"
            row.cells["skreg"] = Cell("n/a")
        else:
            s = float(np.sum(X * X)) / X.shape[1]
            grid = s * np.geomspace(1e-3, 1e3, 50)
            coefs, times = {}, {}
            ridge_solvers = ("skreg", "sklearn") + tuple(
                p for p in PEERS if p != "sklearn" and _TOL_PEERS[p].has_ridge)
            solvers = [n for n in ridge_solvers
                       if workers.get(n) is not None and not workers[n].broken]
            for n in ridge_solvers:
                if n not in solvers:
                    row.cells[n] = (_broken_cell(workers[n]) if workers.get(n) is not None
                                    else Cell("n/a"))
            m = max(1, len(solvers))
            for r in range(3 if not opts.quick else 2):  # interleaved, as retime()
                for solver in solvers[r % m:] + solvers[:r % m]:
                    if solver in row.cells:  # failed in an earlier round
                        continue
                    res, status = workers[solver].call(
                        {"op": "ridge", "problem": path, "alphas": grid}, opts.timeout)
                    if status != "ok":
                        row.cells[solver] = Cell(status.split(":")[0], note=status)
                        continue
                    times.setdefault(solver, []).append(res["times"][0])
                    coefs[solver] = res["coef"]
            for solver in solvers:
                if solver not in row.cells:
                    row.cells[solver] = Cell("ok", time=min(times[solver]))
            if "sklearn" in coefs and len(coefs) > 1:
                b = coefs["sklearn"]
                diffs = []
                for solver, a in coefs.items():
                    if solver == "sklearn":
                        continue
                    d = np.linalg.norm(a - b, axis=0) / np.maximum(np.linalg.norm(b, axis=0),
                                                                  1e-300)
                    diffs.append(f"{_colname(solver)} {d.max():.1e}")
                row.note = "max rel. coef diff to sklearn: " + ", ".join(diffs)
        rows_out.append(row)
        log(f"{row.id:34s} " + "  ".join(_short(s, c) for s, c in row.cells.items())
            + "  " + row.note)

    # CV: skreg.LassoCV vs sklearn LassoCV (celer LassoCV too) vs GridSearchCV(sklearn Lasso);
    # skreg.PathSearchCV(skreg.Lasso) vs GridSearchCV(sklearn Lasso)
    amax = _gap.alpha_max(X, y)
    grid = amax * np.geomspace(1.0, EPS_PATH, N_CV)
    cv_tol = TARGETS["loose"] / 2  # sklearn's tol convention; not calibrated (no gap in CV)
    rows = {t: Row(name, t, "-") for t in ("lassocv", "pathsearch")}
    want = {t: selected(r.id, opts.only) for t, r in rows.items()}
    if any(want.values()):
        skip_grid = opts.quick and name in _problems.LARGE
        jobs = []
        if want["lassocv"]:
            jobs += [("lassocv", "skreg", "lassocv"), ("lassocv", "sklearn", "lassocv"),
                     ("lassocv", "celer", "lassocv")]
        if want["pathsearch"]:
            jobs += [("pathsearch", "skreg", "pathsearch")]
        results = {}
        for rtask, solver, kind in jobs:
            w = workers.get(solver)
            if w is None or w.broken:
                rows[rtask].cells[solver] = Cell("n/a")
                continue
            results[(rtask, solver)] = _cv_cell(w, path, grid, cv_tol, kind, opts)
            rows[rtask].cells[solver] = results[(rtask, solver)]
        gs = Cell("skipped", note="--quick: GridSearchCV skipped on large problems")
        if not skip_grid and "sklearn" in workers and not workers["sklearn"].broken:
            gs = _cv_cell(workers["sklearn"], path, grid, cv_tol, "gridsearch", opts)
        for rtask, row in rows.items():
            if not want[rtask]:
                continue
            row.cells["gridsearch"] = gs
            chosen = {s: c.alpha for s, c in row.cells.items() if c.ok}
            if chosen:
                idx = {s: int(np.argmin(np.abs(np.log(grid) - np.log(a))))
                       for s, a in chosen.items()}
                agree = "same" if len(set(idx.values())) == 1 else "DIFFER"
                row.note = f"chosen α ({agree}), grid index: " + ", ".join(
                    f"{_colname(s)} {i}" for s, i in idx.items())
            rows_out.append(row)
            log(f"{row.id:34s} " + "  ".join(_short(s, c) for s, c in row.cells.items())
                + "  " + row.note)


def _cv_cell(w, path, grid, tol, kind, opts):
    times, alpha = [], None
    for _ in range(2):
        timeout = opts.timeout if kind != "gridsearch" else opts.grid_timeout
        res, status = w.call({"op": "cv", "problem": path, "grid": grid, "tol": tol,
                              "kind": kind}, timeout)
        if status != "ok":
            return Cell(status.split(":")[0], note=status,
                        time=timeout if status == "timeout" else None)
        times.append(res["times"][0])
        alpha = res["alpha"]
        if times[0] > 20 or opts.quick:
            break
    c = Cell("ok", time=min(times), tol=tol)
    c.alpha = alpha
    return c


_TOL_PEERS = {}


def w_tol_start(solver, target, amax):
    return _TOL_PEERS[solver].tol_start(target, amax)


def _short(solver, c):
    if c.ok:
        return f"{solver} {c.time:.3g}s"
    return f"{solver} {c.status}"


def _colname(s):
    return COLNAME.get(s, s)


# ----------------------------------------------------------------------------- report
def _fmt_ratio(row, name):
    c = row.cells.get(name)
    if c is None:
        return "n/a"
    if c.status == "n/a" and c.why:
        return f"n/a ({c.why})"
    if not c.ok:
        ref = row.ref()
        if c.status == "timeout" and c.time and ref is not None and ref.ok:
            return f"<{ref.time / c.time:.2f} (timeout)"  # the peer took > c.time
        return {"timeout": "timeout", "err": "err", "miss": "miss", "skipped": "skip"}.get(
            c.status, "n/a")
    r = row.ratio(name)
    if r is None:
        return "—"
    return f"**{r:.2f}**" if r > 1.0 else f"{r:.2f}"


def report(rows, mem, opts, versions, elapsed):
    rows = sorted(rows, key=lambda r: (not r.flagged(),))  # flagged rows first, stable
    for i, r in enumerate(rows, 1):
        r.num = i
    selfname = "skreg" if opts.self_impl == "skreg" else "scikit-learn standing in for skreg"
    L = []
    L.append("# skreg benchmark results\n")
    L.append(f"Generated by `python benchmarks/run.py {' '.join(sys.argv[1:])}` on "
             f"{datetime.date.today()} in {elapsed / 60:.1f} min "
             f"({'QUICK: small sizes, fewer repetitions' if opts.quick else 'full sizes'}).  ")
    L.append(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
             f"Python {platform.python_version()}, numpy {np.__version__}.  ")
    if opts.interrupted:
        L.append("**INTERRUPTED: partial results.**  ")
    if opts.busy > 0.15:
        L.append(f"**Warning: other processes used {opts.busy:.0%} of the CPUs when the run "
                 "started: timings are noisy.**  ")
    L.append(f"Reference (\"skreg\" column in the ratios): **{selfname}**"
             f" {versions.get('skreg') or ''}.  ")
    L.append("Peers: " + ", ".join(f"{_colname(p)} {versions.get(p) or 'n/a'}" for p in PEERS)
             + ".\n")
    L.append("Cells are time(skreg) / time(peer): **< 1 means skreg is faster**; a bold ratio "
             "> 1 means that peer beat skreg. ⚠ rows (sorted first) are those where skreg is "
             "not the fastest or missed the target itself. `miss`: the peer never reached "
             "the target gap (not counted), `err`: it crashed, `timeout`, `skip`: skipped "
             "(--quick), `<r (timeout)`: the peer was stopped after t s, so the ratio is below "
             "r = time(skreg)/t, `n/a (why)`: not installed, or the library cannot solve that "
             "problem or task (`sparse`, `p>n`: oneDAL's coordinate descent is dense n ≥ p only; "
             "`no ENet`: Snap ML has no elastic net), `—`: skreg missed. Targets: "
             "relative duality gap ≤ 3e-5 (loose) / ≤ 1e-6 (tight) at every α, recomputed "
             "from the returned coefficients. Absolute skreg times are in footnote [n].\n")
    cols = list(PEERS) + ["gridsearch"]
    L.append("| | # | problem | task | target | " + " | ".join(map(_colname, cols))
             + " | notes |")
    L.append("|---|---|---|---|---|" + "---|" * len(cols) + "---|")
    for r in rows:
        flag = "⚠" if r.flagged() else ""
        cells = [_fmt_ratio(r, c) for c in cols]
        note = r.note
        ref = r.ref()
        if ref is not None and not ref.ok and ref.status not in ("n/a",):
            why = ref.note if ref.note.startswith(ref.status) else f"{ref.status}: {ref.note}"
            note = (f"skreg {why}; " + note).strip("; ")
        L.append(f"| {flag} | {r.num} | {r.problem} | {TASK_LABEL[r.task]} | {r.target} | "
                 + " | ".join(cells) + f" | {note} |")
    L.append("")
    L.append("Absolute skreg times (best of the repetitions): " + "; ".join(
        f"[{r.num}] {r.ref().time:.3g} s" for r in rows if r.ref() is not None and r.ref().ok)
        + ".\n")

    if mem:
        L.append(f"## Peak additional memory (MB), {TASK_LABEL[opts.mem_task]}, loose "
                 "target\n")
        L.append("Peak resident memory of the solver call on top of the already loaded data "
                 "(kernel VmHWM after resetting it via /proc/self/clear_refs, minus VmRSS "
                 "before the call; separate worker processes with MALLOC_MMAP_THRESHOLD_=65536 "
                 "so freed blocks are not silently reused; glmnet: the R process, same "
                 "method). Includes any copy of X a solver makes.\n")
        msolvers = ["skreg"] + list(PEERS)
        L.append("| problem | " + " | ".join(map(_colname, msolvers)) + " |")
        L.append("|---|" + "---|" * len(msolvers))
        for prob, d in mem.items():
            vals = []
            for s in msolvers:
                v = d.get(s)
                vals.append(f"{v:.1f}" if isinstance(v, (int, float)) else (v or "n/a"))
            L.append(f"| {prob} | " + " | ".join(vals) + " |")
        L.append("")

    L.append("## Problems\n")
    for name, (desc, shape) in opts.problem_desc.items():
        L.append(f"- `{name}`: {desc} (X {shape[0]}×{shape[1]}).")
    L.append("")
    L.append("## Details: time (s) / calibrated tol / max relative gap / tries\n")
    L.append("| # | row | " + " | ".join(map(_colname, ["skreg"] + list(PEERS) + ["gridsearch"]))
             + " |")
    L.append("|---|---|" + "---|" * (len(PEERS) + 2))
    for r in rows:
        cells = []
        for s in ["skreg"] + list(PEERS) + ["gridsearch"]:
            c = r.cells.get(s)
            if c is None:
                cells.append("")
            elif c.ok and c.gap is not None:
                cells.append(f"{c.time:.3g} / {c.tol:.0e} / {c.gap:.1e} / {len(c.tries)}")
            elif c.ok:
                cells.append(f"{c.time:.3g}" + (f" (α {c.alpha:.3g})"
                                                if getattr(c, "alpha", None) else ""))
            elif c.status == "miss":
                cells.append(f"miss ({c.time:.3g} / {c.tol:.0e} / {c.gap:.1e} / "
                             f"{len(c.tries)})")
            elif c.status == "n/a" and c.why:
                cells.append(f"n/a ({c.why})")
            else:
                cells.append(c.status)
        L.append(f"| {r.num} | {r.id} | " + " | ".join(cells) + " |")
    L.append("")
    errs = [(r.id, s, c.note) for r in rows for s, c in r.cells.items()
            if c.status in ("err", "timeout") and c.note]
    if errs:
        L.append("## Errors\n")
        for rid, s, note in errs[:50]:
            L.append(f"- {rid} {s}: {note}")
        L.append("")
    return "\n".join(L)


def machine_busy(seconds=1.0):
    """Fraction of all CPUs busy over `seconds` while this harness idles (other users)."""
    def stat():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return v[3] + v[4], sum(v)  # idle + iowait, total
    try:
        i0, t0 = stat()
        time.sleep(seconds)
        i1, t1 = stat()
        return 1.0 - (i1 - i0) / max(1, t1 - t0)
    except OSError:
        return 0.0


# ----------------------------------------------------------------------------- main
def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--quick", action="store_true", help="small sizes, fewer repetitions")
    ap.add_argument("--only", default="", help="comma-separated row patterns (see top)")
    ap.add_argument("--out", default=os.path.join(HERE, "results.md"))
    ap.add_argument("--self", dest="self_impl", choices=("skreg", "sklearn"), default="skreg",
                    help="implementation under test (sklearn: harness test without skreg)")
    ap.add_argument("--peers", default=",".join(PEERS), help="subset of peers to run")
    ap.add_argument("--no-mem", dest="mem", action="store_false", help="skip peak memory")
    ap.add_argument("--mem-task", default="lasso_fit100", choices=tuple(SOLVE_TASKS),
                    help="row (at the loose target) whose peak memory is measured")
    ap.add_argument("--timeout", type=float, default=None, help="per call, seconds")
    ap.add_argument("--cell-budget", type=float, default=None,
                    help="seconds of tolerance calibration per cell before giving up")
    opts = ap.parse_args(argv)
    # Ctrl-C, or SIGTERM for a run in the background (where SIGINT is ignored), stops the run
    # and still writes the rows done so far.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    opts.only = [p.strip() for p in opts.only.split(",") if p.strip()]
    if opts.timeout is None:
        opts.timeout = 120.0 if opts.quick else 600.0
    opts.grid_timeout = min(opts.timeout, 60.0 if opts.quick else 300.0)
    if opts.cell_budget is None:
        opts.cell_budget = 60.0 if opts.quick else 900.0
    peers = [p for p in opts.peers.split(",") if p in PEERS]

    import _solvers
    for s in ("skreg",) + PEERS:
        _TOL_PEERS[s] = _solvers.make_peer(s, opts.self_impl)

    opts.interrupted = False
    opts.busy = machine_busy()
    if opts.busy > 0.15:
        log(f"WARNING: {opts.busy:.0%} of the CPU time was used by other processes in the "
            "last second: timings will be noisy")
    tmpdir = tempfile.mkdtemp(prefix="skreg_bench_")
    workers, mem_workers = {}, {}
    rows, mem, versions = [], {}, {}
    try:
        log(f"starting workers (self = {opts.self_impl}); logs in {tmpdir}")
        # all workers import and warm up (numba JIT...) concurrently: nothing is timed yet
        for s in ("skreg",) + tuple(peers):
            workers[s] = Worker(s, opts.self_impl, tmpdir)
            workers[s].launch()
            if opts.mem:
                mem_workers[s] = Worker(s, opts.self_impl, tmpdir, mem=True)
                mem_workers[s].launch()
        for s in ("skreg",) + tuple(peers):
            w = workers[s]
            w.wait_ready()
            versions[s] = w.version
            log(f"  {s}: " + (f"version {w.version}" if not w.broken else f"n/a ({w.broken})"))
            if opts.mem:
                mem_workers[s].wait_ready()
        if workers["skreg"].broken:
            sys.exit(f"skreg does not work here ({workers['skreg'].broken}); build it "
                     "(pip install -e . --no-build-isolation) or run with --self sklearn")
        if "sklearn" not in workers:
            versions["sklearn"] = None

        specs = _problems.problem_specs(opts.quick)
        opts.problem_desc = {}
        for name, (desc, build) in specs.items():
            if opts.only and not any(selected(f"{name}/{t}/{g}", opts.only)
                                     for t in TASK_LABEL for g in ("loose", "tight", "-")):
                continue
            X, y = build()
            opts.problem_desc[name] = (desc, X.shape)
            path = os.path.join(tmpdir, f"{name}.npz")
            _problems.save(path, X, y)
            log(f"problem {name}: {desc}")
            run_problem(name, desc, path, X, y, workers, mem_workers, opts, rows, mem)
            del X, y
    except KeyboardInterrupt:
        log("interrupted: reporting the rows done so far")
        opts.interrupted = True
    finally:
        for w in list(workers.values()) + list(mem_workers.values()):
            w.stop()
    elapsed = time.perf_counter() - T0
    text = report(rows, mem, opts, versions, elapsed)
    print(text)
    if opts.out:
        with open(opts.out, "w") as f:
            f.write(text + "\n")
        log(f"written {opts.out}")
    shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
