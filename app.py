"""Activation Lab: the entry point only routes (st.navigation) and draws the shared sidebar."""
# ui.workers starts the experiments' worker processes with multiprocessing's "spawn", which re-runs the parent's
# __main__ in each child under the name __mp_main__; Streamlit makes this file __main__. A worker must not serve
# the app (nor start a warm-up and a cluster of its own): the file is read there and nothing runs.
if __name__ != "__mp_main__":
    import streamlit as st

    from i18n import _
    from labs import pages
    from ui import lang, share, warmup

    # A Material icon, not an emoji: an emoji favicon makes Streamlit compile its emoji table on cold start.
    st.set_page_config(page_title="Activation Lab", page_icon=":material/show_chart:", layout="wide")
    lang.choose()  # before anything is written: every word below is in the learner's language
    # A wide table (a lab's results, in Korean too) scrolls inside its own box on a phone instead of the whole page.
    st.html("<style>[data-testid='stMarkdownContainer'] table "
            "{display: block; overflow-x: auto; max-width: 100%}</style>")

    # The pages are declared in labs.pages: their paths are fixed, so links work in every language.
    page = st.navigation([st.Page(p.view, title=_(p.title), icon=p.icon, url_path=p.key, default=p.key == pages.HOME)
                          for p in pages.PAGES])
    lang.switch(st.sidebar)
    st.sidebar.caption(_("Every control is in the page address: copy the URL to share exactly this view."))
    share.button(st.sidebar, page.url_path)
    with warmup.visiting():  # no background warm-up job starts while a learner's page runs
        page.run()
    warmup.start()  # once per server, after its first visitor's page: the labs' default views, in the background
