"""Activation Lab: the entry point only routes (st.navigation) and draws the shared sidebar."""
import streamlit as st

# A Material icon, not an emoji: an emoji favicon makes Streamlit compile its emoji table on cold start.
st.set_page_config(page_title="Activation Lab", page_icon=":material/show_chart:", layout="wide")

PAGES = [
    st.Page("views/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("views/explorer.py", title="Explorer", icon=":material/show_chart:", url_path="explorer"),
    st.Page("views/compare.py", title="Compare", icon=":material/stacked_line_chart:", url_path="compare"),
    st.Page("views/gradient_flow.py", title="Gradient flow", icon=":material/trending_down:"),
    st.Page("views/dying_relu.py", title="Dying ReLU", icon=":material/heart_broken:"),
    st.Page("views/self_normalizing.py", title="Self-normalizing nets", icon=":material/balance:"),
    st.Page("views/why_nonlinear.py", title="Why non-linear", icon=":material/timeline:"),
    st.Page("views/vector.py", title="Softmax, GLU, Maxout", icon=":material/bar_chart:"),
]

page = st.navigation(PAGES)
st.sidebar.caption("Every control is in the page address: copy the URL to share exactly this view.")
page.run()
