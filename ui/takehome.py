"""Reproduce in PyTorch: the code of exactly this experiment (labs.codegen), shown in a code block and given as a
script and a notebook. The code in the block is the code in the downloads. It is written when the learner asks for
it: writing it builds the activation's torch module, and a page that only shows a run should not load torch here."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from i18n import N_, _, _f
from labs.codegen import notebook
from labs.codegen.common import NotExportable, join

from .urlstate import PageState
from .widgets import activation_name

SHOWN = "_takehome:shown"  # the pages whose code this learner asked to see
HOLDS = N_("With torch 2.13.0 on a CPU like this server's, it prints the page's numbers bit for bit (one thread, the "
           "same order of operations). With another version or another CPU, the numbers agree within the noise of "
           "the seeds.")


def section(state: PageState, page: str, title: str, parts: Callable[[], Sequence[tuple[str, str]]], intro: str,
            texts: Mapping[str, str]) -> None:
    """An expander with the experiment's code, drawn by the lab's section itself (so a fragment rerun, a slider
    moved, rewrites it from the settings just drawn); none in a lesson step. `parts()` writes it (labs.codegen),
    `intro` says what it reproduces, `texts` (N_-marked, by part) go before the notebook's cells."""
    if state.lesson:
        return
    with st.expander(_("Reproduce in PyTorch"), icon=":material/terminal:"):
        st.markdown(_(intro))
        st.caption(_(HOLDS))
        shown = st.session_state.setdefault(SHOWN, set())
        if page not in shown:
            st.button(_("Write the code of this experiment"), key=f"takehome:{page}", on_click=shown.add, args=(page,),
                      icon=":material/code:", help=_("The code of the view as it is now: its settings and seeds."))
            return
        try:
            written = list(parts())
        except NotExportable as e:
            st.info(_f("This view cannot be written as plain PyTorch yet: {name} has no class in `torch.nn`. Pick "
                       "another activation, or type it as a formula on Your own activation: a formula is exported.",
                       name=activation_name(e.key)), icon=":material/info:")
            return
        code = join(written, _(title))
        st.code(code, language="python", line_numbers=True)
        left, right = st.columns(2)
        left.download_button(_("Download the script (.py)"), data=code, file_name=f"{page}.py", mime="text/x-python",
                             icon=":material/download:", width="stretch",
                             help=_("Run it with python: it prints the page's numbers and draws its charts."))
        right.download_button(_("Download the notebook (.ipynb)"), icon=":material/download:", width="stretch",
                              data=lambda: notebook.text(notebook.build(_(title), _(intro), written,
                                                                        {k: _(v) for k, v in texts.items()})),
                              file_name=f"{page}.ipynb", mime="application/x-ipynb+json",
                              help=_("The same code in cells, each explained; it runs top to bottom in a fresh "
                                     "kernel (Jupyter, VS Code, Colab)."))
