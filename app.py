"""Activation Lab: the entry point only routes (st.navigation) and draws the shared sidebar."""
import streamlit as st

from i18n import N_, _
from ui import lang

# A Material icon, not an emoji: an emoji favicon makes Streamlit compile its emoji table on cold start.
st.set_page_config(page_title="Activation Lab", page_icon=":material/show_chart:", layout="wide")
lang.choose()  # before anything is written: every word below is in the learner's language
# A wide table (a lab's results, in Korean too) scrolls inside its own box on a phone instead of the whole page.
st.html("<style>[data-testid='stMarkdownContainer'] table {display: block; overflow-x: auto; max-width: 100%}</style>")

# (file, title, icon, URL path): the paths are fixed, so links work in every language.
PAGES = [
    ("views/home.py", N_("Home"), ":material/home:", "home"),
    ("views/explorer.py", N_("Explorer"), ":material/show_chart:", "explorer"),
    ("views/compare.py", N_("Compare"), ":material/stacked_line_chart:", "compare"),
    ("views/own.py", N_("Your own activation"), ":material/function:", "own"),
    ("views/gradient_flow.py", N_("Gradient flow"), ":material/trending_down:", "gradient_flow"),
    ("views/dying_relu.py", N_("Dying ReLU"), ":material/heart_broken:", "dying_relu"),
    ("views/self_normalizing.py", N_("Self-normalizing nets"), ":material/balance:", "self_normalizing"),
    ("views/real_data.py", N_("Real data"), ":material/database:", "real_data"),
    ("views/why_nonlinear.py", N_("Why non-linear"), ":material/timeline:", "why_nonlinear"),
    ("views/vector.py", N_("Softmax, GLU, Maxout"), ":material/bar_chart:", "vector"),
]

page = st.navigation([st.Page(f, title=_(t), icon=i, url_path=u, default=u == "home") for f, t, i, u in PAGES])
lang.switch(st.sidebar)
st.sidebar.caption(_("Every control is in the page address: copy the URL to share exactly this view."))
page.run()
