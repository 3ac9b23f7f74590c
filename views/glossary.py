"""Glossary: the app's terms in English and Korean, one line each (learners reading Korean books meet 기울기 소실 and
그레이디언트 소실 for the same thing)."""
import streamlit as st

from i18n import N_
from ui import page
from ui.text import page_text

state = page.start("glossary", N_("Glossary"))
st.markdown(page_text("glossary", "terms"))
state.finish()
