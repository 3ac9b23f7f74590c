"""Plain-text exports of what a chart shows."""
from __future__ import annotations

import io

import numpy as np


def csv_text(columns: dict[str, np.ndarray]) -> str:
    """CSV with a header row; floats with 17 significant digits, so they read back exactly."""
    names = list(columns)
    data = np.column_stack([np.asarray(columns[n], dtype=float) for n in names])
    buf = io.StringIO()
    np.savetxt(buf, data, delimiter=",", header=",".join(names), comments="", fmt="%.17g")
    return buf.getvalue()
