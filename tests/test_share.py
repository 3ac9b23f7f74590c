"""Share in class (ui/share.py): the link of exactly the view on screen and a QR code that a phone reads back as
that link."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from pagekit import open_page
from PIL import Image

from ui import share


def read_qr(png: bytes) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]


@pytest.mark.parametrize("url", [
    "http://localhost:8501/dying_relu?lang=ko&opt=adam&lr=0.3",
    "https://lab.school.example/own?lang=ko&formula=x%2Atanh%28softplus%28x%29%29&a=1.5",
    "http://10.0.0.7:8501/",
])
def test_the_qr_code_reads_back_as_the_link(url):
    assert read_qr(share.qr_png(url)) == [url]


def test_a_link_to_this_computer_itself_is_recognized():
    assert share.is_local("http://localhost:8501/") and share.is_local("http://127.0.0.1:1/x")
    assert not share.is_local("http://192.168.0.10:8501/") and not share.is_local("https://lab.school.example/")


def test_the_link_is_the_browsers_host_the_page_and_its_query():
    assert share.link("http://lab.example:8080/explorer?old=1", "dying_relu", {"lang": "ko", "lr": "0.3"}) \
        == "http://lab.example:8080/dying_relu?lang=ko&lr=0.3"
    assert share.link("https://lab.example", "", {}) == "https://lab.example/"  # Home
    # what a learner typed travels escaped, and comes back the same
    formula = "x*tanh(exp(x)) & b=2#"
    url = share.link("http://h", "own", {"formula": formula})
    assert "#" not in url.split("?", 1)[1] and read_qr(share.qr_png(url)) == [url]
    from urllib.parse import parse_qs, urlsplit
    assert parse_qs(urlsplit(url).query)["formula"] == [formula]


def test_the_button_opens_the_view_link_in_the_learners_language():
    # (the Own page: AppTest cannot re-send a selectbox whose options it only knows formatted in Korean)
    at = open_page("views/own.py", {"lang": "ko", "formula": "x*tanh(softplus(x))", "a": "1.5"})
    button = next(b for b in at.sidebar.button if b.key == "share_in_class")
    assert button.label == "수업에서 공유"
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    code = [c.value for c in at.code]
    links = [c for c in code if c.startswith("http")]
    if share.is_local(links[0]):  # AppTest's address is this computer: a class could not open it, and is told so
        assert any("192.168.0.10" in w.value for w in at.warning), [w.value for w in at.warning]
    assert len(links) == 1 and "/own?" in links[0], code
    from urllib.parse import parse_qs, urlsplit
    query = parse_qs(urlsplit(links[0]).query)
    assert query["lang"] == ["ko"] and query["formula"] == ["x*tanh(softplus(x))"], query
