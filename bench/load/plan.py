"""The lesson a simulated class follows (no Locust here, so that run.py can read it without gevent's patching)."""
from __future__ import annotations

# Where a class's learners are, in percent (Home and the vector page are not in a lesson's plan).
PAGE_MIX = {"explorer": 30, "compare": 10, "dying_relu": 20, "gradient_flow": 15, "self_normalizing": 10,
            "why_nonlinear": 5, "own": 5, "real_data": 5}
THINK_S = (3.0, 8.0)  # seconds a learner looks at the page before the next move
MOVES = (2, 5)  # slider moves on a page before the next page
