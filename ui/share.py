"""Share in class: the link of exactly this view and its QR code, large, for a teacher to project and a class to
scan with their phones (TensorFlow Playground's links, plus the code a phone camera reads). segno draws the code
in Python; nothing leaves the server. Nothing is stored: the link is the page's own address."""
from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from i18n import _, _f

QR_SCALE = 8  # pixels per module: a 390-pixel-wide code for a typical link, readable from the back of a room
QR_BORDER = 4  # the quiet zone QR readers need, in modules
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # this computer itself: no phone reaches it by these


def is_local(url: str) -> bool:
    return (urlsplit(url).hostname or "localhost") in LOCAL_HOSTS


def link(base_url: str, path: str, query: dict[str, str | list[str]]) -> str:
    """The address of a view: the scheme and host the learner's browser used (base_url, any URL of this server),
    the page's path, and the page's query (every control is in it)."""
    parts = urlsplit(base_url)
    return urlunsplit((parts.scheme or "http", parts.netloc, "/" + path.strip("/") if path else "/",
                       urlencode(query, doseq=True), ""))


def qr_png(text: str) -> bytes:
    """A PNG of text's QR code (error correction M: a smudged projector still reads)."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return out.getvalue()


def current_link(page_path: str) -> str:
    """This session's view: the browser's host (st.context.url) and page, and the query as it is now."""
    return link(st.context.url or "http://localhost:8501", page_path, st.query_params.to_dict())


def button(where, page_path: str) -> None:
    """A button that opens the share dialog. It reads the address when pressed (a full rerun), so a change made in a
    fragment since the page was drawn is in the link too."""
    if where.button(_("Share in class"), icon=":material/qr_code_2:", key="share_in_class",
                    help=_("A QR code and the link of exactly this view, to project: students scan it with their "
                           "phone's camera and open the same view.")):
        st.dialog(_("Share in class"), width="large")(_dialog)(current_link(page_path))


def _dialog(url: str) -> None:
    if is_local(url):  # the teacher opened the app on their own machine: the class needs its network address
        st.warning(_f("This link names this computer itself ({host}): students' phones cannot open it. Open the app "
                      "at its network address (the Network URL that `streamlit run` prints, such as "
                      "`http://192.168.0.10:8501`) and share from there.", host=urlsplit(url).hostname or "localhost"))
    left, right = st.columns([1, 1.2], gap="medium")
    left.image(qr_png(url), caption=_("Scan with a phone's camera."), width="stretch",
               alt=_("QR code of the link of this view."))
    right.markdown(_("**The link of this view**, with every setting in it:"))
    right.code(url, language=None, wrap_lines=True)
    right.caption(_("The link opens the page with these settings in the language it names. Nothing is stored: "
                    "whoever opens it gets their own copy of the view."))
