"""Your own activation: type a formula in x, see f, f′, their regions and gaps, and take it to every lab."""
import streamlit as st

from i18n import N_, _, render
from labs import own as lab
from labs import pages
from ui import lang, own, page
from ui.curve_panel import panel

S = lab.SCHEMA
state = page.start("own", N_("Your own activation"))
for note in own.formula_box(state):
    st.info(render(note), icon=":material/info:")
own.examples(state)
spec = own.spec()
own.write(state)
own.range_inputs(state, [p.name for p in spec.params])
spec = own.spec()  # with the ranges just set
panel(state, spec, S.x, S.eps, S.autograd)

st.subheader(_("Train it"))
st.markdown(_("Your formula is in the activation picker of every page, as **Your own**. These open a lab with it:"))
query = {"formula": own.formula(), **({"lang": lang.url_value()} if lang.url_value() else {})}
links = st.container(horizontal=True)
for target in pages.PAGES:
    if target.own_pick:  # its activation picker can pick the formula (labs.pages says with what)
        links.page_link(target.view, label=_(target.title), icon=target.icon,
                        query_params={target.picker: target.own_pick, **query})
page.more("own", N_("What a formula may contain"), "syntax")
state.finish()
