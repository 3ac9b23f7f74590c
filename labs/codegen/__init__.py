"""Every experiment as code to take home: a standalone PyTorch script, and the same code as a Jupyter notebook, that
reproduce the page's numbers (issue 25). One generator per lab (dying, …), the parts they share (common), the
notebook (notebook). Imports no torch at import time."""
