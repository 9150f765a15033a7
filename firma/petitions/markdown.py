"""Petition texts and updates are written in Markdown; what reaches a page is sanitised HTML."""

from functools import lru_cache

import markdown as markdown_lib
import nh3


@lru_cache(maxsize=256)
def render_markdown(text: str) -> str:
    """Markdown to HTML, with anything that could run script removed."""
    return nh3.clean(markdown_lib.markdown(text, extensions=["sane_lists"]))
