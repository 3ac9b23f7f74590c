"""Server time of the Gradient-flow lab: the core alone, and a page rerun after a change (AppTest).

Every measured run uses a new seed, so nothing comes from the page's cache: these are the times of
real forward and backward passes. Figures only, no assertions. From the repository root:
    python bench/bench_gradflow.py [--repeat 7]
Targets (issue 3): depth 50, width 256, batch 256 <= 300 ms per change when warm; depth 100,
width 512 <= 1 s (with a progress bar).
"""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(fn, repeat: int) -> tuple[float, float]:
    fn(0)  # warm: torch loaded, kernels chosen
    times = []
    for i in range(1, repeat + 1):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    from labs import gradflow
    from labs.progress import is_long
    from labs.seeding import one_thread

    print("core: gradient_flow (one forward + backward, new seed each run; torch on one thread, as the page runs it)")
    for act, depth, width, batch in (("relu", 50, 256, 256), ("sigmoid", 50, 256, 256), ("relu", 100, 512, 256)):
        cfg = gradflow.NetConfig(activation=act, depth=depth, width=width, batch=batch)
        med, worst = median_ms(lambda s, cfg=cfg: one_thread(lambda: gradflow.gradient_flow(replace(cfg, seed=s))),
                               args.repeat)
        bar = "progress bar" if is_long(gradflow.seconds(cfg)) else "no bar"
        print(f"  {act:<8} depth {depth:>3} width {width:>3} batch {batch}: median {med:7.1f} ms  max {worst:7.1f} ms"
              f"  ({bar})")
    tc = gradflow.TrainConfig.of(gradflow.TRAIN.defaults())  # the page's training run: the 'exploding' net

    def runs(s: int) -> None:
        one_thread(lambda: gradflow.clipping_runs(replace(tc, net=replace(tc.net, seed=s))))

    med, worst = median_ms(runs, max(3, args.repeat // 2))
    print(f"core: clipping_runs, the page's default training run (3 x {tc.steps} steps): median {med:.0f} ms  "
          f"max {worst:.0f} ms  ({'progress bar' if is_long(gradflow.seconds(tc)) else 'no bar'})")

    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in {"act": "relu", "init": "kaiming_normal", "depth": "50", "width": "256", "batch": "256"}.items():
        at.query_params[k] = v
    at.switch_page("views/gradient_flow.py")
    at.run()
    seed = at.number_input(key="gradient_flow:seed")

    def change(i: int) -> None:
        seed.set_value(100 + i).run()

    med, worst = median_ms(change, args.repeat)
    print(f"page: whole-page rerun after a change, depth 50 width 256 batch 256: median {med:.0f} ms  "
          f"max {worst:.0f} ms (AppTest reruns the whole page; the browser reruns only the network's fragment)")
    print(f"exceptions: {len(at.exception)}")


if __name__ == "__main__":
    main()
