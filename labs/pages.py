"""The app's pages, declared once (no Streamlit): app.py's navigation, the own page's links, the tools and the tests
read this list.

A page is its entry here, its view `views/<key>.py` and its prose `assets/<lang>/pages/<key>.md`; the controls it
binds to its address are its labs' `SCHEMAS` (labs.catalog reads them through `labs`).
"""
from __future__ import annotations

from dataclasses import dataclass

from i18n import N_


@dataclass(frozen=True)
class Page:
    key: str  # its address (…/explorer) and its widgets' session prefix ("explorer:fn"): fixed in every language
    title: str  # N_-marked: its name in the sidebar and on links to it
    icon: str  # a Material icon (an emoji favicon would make Streamlit load its emoji table on a cold start)
    # the lab modules whose SCHEMAS the page draws, in page order ("module:section" names one section of them)
    labs: tuple[str, ...] = ()
    # the URL key of its activation picker (a Choice or Multi with `params`) and the value that picks the learner's
    # formula there, with what it is compared with ("own", "selu,own"): the own page links here with it when set
    picker: str = ""
    own_pick: str = ""
    charts: bool = True  # its plain view draws a chart (the tests wait for one); the lessons' list does not

    @property
    def view(self) -> str:
        """Its script, as st.Page and AppTest.switch_page take it."""
        return f"views/{self.key}.py"

    @property
    def path(self) -> str:
        """Its address after the host: "/" for Home (the default page), "/explorer" for the others."""
        return "/" if self.key == HOME else f"/{self.key}"


HOME = "home"
# In the sidebar's order, which is the order of teaching: the guided lessons first, then the functions, why a
# network needs them at all, the labs that assume it (depth, dying units, self-normalization, real data), and a
# learner's own last.
PAGES: tuple[Page, ...] = (
    Page(HOME, N_("Home"), ":material/home:"),
    Page("lessons", N_("Lessons"), ":material/school:", ("labs.lessons",), charts=False),
    Page("explorer", N_("Explorer"), ":material/show_chart:", ("labs.explore:explorer",)),
    Page("compare", N_("Compare"), ":material/stacked_line_chart:", ("labs.explore:compare",),
         picker="fns", own_pick="relu,own"),
    Page("why_nonlinear", N_("Why non-linear"), ":material/timeline:", ("labs.nonlinear", "labs.zerocenter")),
    Page("gradient_flow", N_("Gradient flow"), ":material/trending_down:", ("labs.gradflow",),
         picker="act", own_pick="own"),
    Page("dying_relu", N_("Dying ReLU"), ":material/heart_broken:", ("labs.dying",), picker="act", own_pick="own"),
    Page("self_normalizing", N_("Self-normalizing nets"), ":material/balance:", ("labs.selfnorm",),
         picker="acts", own_pick="selu,own"),
    Page("real_data", N_("Real data"), ":material/database:", ("labs.realdata",)),
    Page("own", N_("Your own activation"), ":material/function:", ("labs.own",)),
    Page("vector", N_("Softmax, GLU, Maxout"), ":material/bar_chart:", ("labs.vector",)),
    Page("glossary", N_("Glossary"), ":material/translate:", charts=False),  # in the sidebar: one tap from every page
)
KEYS: tuple[str, ...] = tuple(p.key for p in PAGES)


def get(key: str) -> Page:
    """The page whose address is …/`key`; an unknown key raises KeyError naming the pages."""
    for p in PAGES:
        if p.key == key:
            return p
    raise KeyError(f"no page {key!r}; pages: {', '.join(KEYS)}")
