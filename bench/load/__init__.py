"""Protocol-level load test: learners simulated on Streamlit's websocket (no browser), driven by Locust.

One job per module:
  messages   the BackMsgs a tab sends and what it keeps from the ForwardMsgs (protobufs only: unit-tested)
  protocol   one session over websocket-client: open a page, move a slider, timed; runs without Locust too
  plan       the lesson: the page mix, think time, moves per page
  locustfile the learners (a Locust User): the page mix, think time, slider moves
  sampler    the server's process tree, every second: RSS and CPU
  report     percentiles per page and action, the server's load: markdown and JSON
  run        Locust headless against a server it starts (bench/appserver.py) or one given by --host

Usage: pip install -r requirements-bench.txt, then python -m bench.load.run --users 50 --minutes 3 [--json PATH].
"""
