"""Server time of the experiment labs: the core computations and a page rerun after a change (AppTest).

Every timed run uses settings not seen before (a new seed), so no cache helps. Figures only.
From the repository root:  python bench/bench_labs.py [--repeat 5]
Targets: dying ReLU 300 full-batch steps of a 2x64 net on 500 points <= 500 ms warm, the sweep
(8 learning rates x 3 seeds x 2 activations) <= 15 s; the real-data lab's default race (6 activations x 3 seeds
x 20 epochs, 2 x 64, digits) <= 10 s on one core; every change on an experiment page <= 300 ms server time
when warm (or a progress indicator).
"""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int) -> tuple[float, float]:
    fn(10_000)  # warm-up with a seed no timed run uses
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), max(times)


def page_rerun(page: str, widget: str, key: str, values, repeat: int) -> tuple[float, float, int]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page(page)
    at.run()
    w = getattr(at, widget)(key=key)

    def change(i: int) -> None:
        w.set_value(values(i)).run()

    med, worst = timed(change, repeat)
    return med, worst, len(at.exception)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    # A filter, not a level: Streamlit resets its loggers' levels when it (re)reads its config.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    from labs import dying, nonlinear, selfnorm
    from labs.seeding import one_thread

    med, worst = timed(lambda s: one_thread(lambda: dying.train(dying.TrainConfig(seed=s))), args.repeat)
    print(f"dying.train, 2x64, 500 points, 300 steps, 61 frames: median {med:.0f} ms  max {worst:.0f} ms")
    t = time.perf_counter()
    one_thread(lambda: dying.lr_sweep(dying.TrainConfig(seed=77)))
    print(f"dying.lr_sweep, 8 lrs x 3 seeds x 2 activations: {time.perf_counter() - t:.1f} s")
    med, worst = timed(lambda s: selfnorm.depth_stats(selfnorm.SNConfig(seed=s)), args.repeat)
    print(f"selfnorm.depth_stats, depth 100, width 256, batch 500, 5 activations: median {med:.0f} ms  "
          f"max {worst:.0f} ms")
    med, worst = timed(lambda s: nonlinear.train_xor("nonlinear", nonlinear.XorConfig(seed=s)), args.repeat)
    print(f"nonlinear.train_xor, 500 steps: median {med:.0f} ms  max {worst:.0f} ms")
    from labs import realdata

    race = realdata.RaceConfig()
    med, worst = timed(lambda s: one_thread(lambda: realdata.race(realdata.RaceConfig(seed=s))),
                       max(1, args.repeat // 2))
    print(f"realdata.race, default ({len(race.activations)} activations x {race.seeds} seeds x {race.epochs} epochs, "
          f"{race.depth} x {race.width}, digits; one thread): median {med / 1e3:.1f} s  max {worst / 1e3:.1f} s  "
          f"(target <= 10 s; estimated {realdata.seconds(race):.1f} s)")

    print("page reruns after a change (AppTest reruns the whole page; the browser reruns only a fragment):")
    for page, widget, key, values in (
        ("views/dying_relu.py", "number_input", "dying_relu:seed", lambda i: 100 + i),
        ("views/self_normalizing.py", "number_input", "self_normalizing:seed", lambda i: 100 + i),
        ("views/why_nonlinear.py", "slider", "why_nonlinear:r.k", lambda i: 2 + i),
        ("views/vector.py", "slider", "vector:z1", lambda i: round(-5 + 0.5 * i, 1)),
    ):
        med, worst, exc = page_rerun(page, widget, key, values, args.repeat)
        print(f"  {page:<28} median {med:6.0f} ms  max {worst:6.0f} ms  exceptions {exc}")


if __name__ == "__main__":
    main()
