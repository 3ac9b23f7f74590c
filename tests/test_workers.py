"""ui.workers' first contact with Dask, in a fresh interpreter: several sessions' threads at once."""
import subprocess
import sys
import textwrap

from browserkit import ROOT

# Learners' threads call key_of (a lab's task key) and client() (the cluster's start) at the same moment, as a
# server's first visitors and its warm-up do. Every first import of a Dask module in those threads must happen while
# the thread holds ui.workers' import lock: two threads importing Dask at once can cross in Python's per-module
# import locks, which hands one of them a half-built module ("module 'dask' has no attribute 'utils'" failed every
# experiment of a 50-learner load test).
SCRIPT = textwrap.dedent("""
    import builtins, os, sys, threading
    os.environ["ACTIVATION_LAB_DASK"] = "threads"
    from ui import workers
    assert "dask" not in sys.modules and "distributed" not in sys.modules  # nothing imported Dask yet
    real, unlocked, failed = builtins.__import__, [], []

    def spy(name, globals=None, locals=None, fromlist=(), level=0):
        if threading.current_thread().name.startswith("learner") and level == 0 \\
                and name.split(".")[0] in ("dask", "distributed") and name not in sys.modules:
            lock = getattr(workers, "_IMPORTS", None)
            if lock is None or not lock._is_owned():
                unlocked.append(name)
        return real(name, globals, locals, fromlist, level)

    builtins.__import__ = spy
    start = threading.Barrier(6)

    def learner(i):
        start.wait()
        try:
            workers.client() if i == 0 else workers.key_of("dying", ("settings", i))
        except Exception as e:
            failed.append(repr(e))

    threads = [threading.Thread(target=learner, args=(i,), name=f"learner-{i}") for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    builtins.__import__ = real
    print("unlocked", sorted(set(unlocked)), "failed", failed)
    workers.client().close()
""")


def test_sessions_import_dask_one_at_a_time():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "unlocked [] failed []" in done.stdout, done.stdout[-2000:]
