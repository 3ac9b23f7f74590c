"""Arrays made safe to show: a value that overflowed becomes NaN (a gap in a chart), never a fake number."""
from __future__ import annotations

import numpy as np


def finite_or_nan(a) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    return np.where(np.isfinite(a), a, np.nan)
