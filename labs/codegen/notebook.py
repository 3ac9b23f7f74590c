"""An exported script as a Jupyter notebook (nbformat, the ecosystem's library): a first cell with the pinned pip
line, then each part of the script after a Markdown cell that says what it does, in the learner's language."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from .common import PIP


def build(title: str, intro: str, parts: Sequence[tuple[str, str]], texts: Mapping[str, str]):
    """A notebook of `parts` ((name, code) in order); `texts[name]` is the Markdown put before each part."""
    import nbformat
    from nbformat import v4

    cells = [v4.new_markdown_cell(f"# {title}\n\n{intro}"), v4.new_code_cell(f"%pip install {PIP.split(' ', 2)[2]}")]
    for name, code in parts:
        if texts.get(name):
            cells.append(v4.new_markdown_cell(texts[name]))
        cells.append(v4.new_code_cell(code))
    nb = v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})
    nbformat.validate(nb)
    return nb


def text(nb) -> str:
    import nbformat

    return nbformat.writes(nb)
