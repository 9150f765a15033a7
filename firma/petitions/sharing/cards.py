"""The share image of a petition (Open Graph, Twitter cards): 1200 by 630 pixels, drawn by Pillow.

It shows the organisation, the title, the count and the progress towards the goal. Titles in any
script the bundled fonts cover (firma/fonts/cards/README.md) are drawn word by word, each word
in its script's font and shaped by libraqm (Arabic letters joined), and right-to-left lines
ordered right to left. Images are cached by what they show, the count rounded, so that a busy
petition's image is drawn again only as its count grows visibly.
"""

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import get_language, get_language_bidi, gettext, ngettext
from PIL import Image, ImageDraw, ImageFont

from firma.petitions import counting
from firma.petitions.models import Petition

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
TEXT_WIDTH = WIDTH - 2 * MARGIN
INK, MUTED, ACCENT, TRACK, PAPER = "#1a1a1a", "#555555", "#b3261e", "#e5e7eb", "#ffffff"

FONTS = Path(__file__).resolve().parent.parent / "static" / "firma" / "fonts" / "cards"
REGULAR, BOLD = "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"
# Scripts the Latin font lacks, by their Unicode blocks, and the font that draws them.
SCRIPT_FONTS = [
    (((0x0590, 0x05FF), (0xFB1D, 0xFB4F)), "NotoSansHebrew-Bold.ttf"),
    (
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
        "NotoSansArabic-Bold.ttf",
    ),
]

TITLE_SIZES = [64, 58, 52, 46, 40]
TITLE_TOP, TITLE_BOTTOM = 150, 440
CACHE_SECONDS = 7 * 24 * 3600  # the key changes with what is shown; this only frees the space
MAX_AGE = 600  # how long browsers and link previews may keep the image without asking


@lru_cache(maxsize=64)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    # Pillow lays text out with libraqm when it has it, as its wheels do; without it Arabic
    # letters would come out unjoined (tests/petitions/test_share_cards.py would say so).
    return ImageFont.truetype(str(FONTS / name), size)


def font_name_for(word: str, default: str) -> str:
    """The font of the script most of the word's letters are in."""
    votes: dict[str, int] = {}
    for char in word:
        for ranges, name in SCRIPT_FONTS:
            if any(low <= ord(char) <= high for low, high in ranges):
                votes[name] = votes.get(name, 0) + 1
    return max(votes, key=votes.get) if votes else default


def direction_of(text: str) -> str | None:
    """ "rtl" or "ltr" from the first letter with a strong direction; None for digits and marks."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


@dataclass
class Word:
    text: str
    font: ImageFont.FreeTypeFont
    direction: str | None

    @property
    def width(self) -> float:
        return self.font.getlength(self.text, direction=self.direction)


def words_of(text: str, size: int, default_font: str) -> list[Word]:
    words = []
    for piece in text.split():
        name = font_name_for(piece, default_font)
        words.append(Word(piece, font(name, size), direction_of(piece)))
    return words


def split_long(word: Word, width: float) -> list[Word]:
    """A word wider than a line (a long URL, a language without spaces) cut where it must be."""
    pieces, current = [], ""
    for char in word.text:
        candidate = Word(current + char, word.font, word.direction)
        if current and candidate.width > width:
            pieces.append(Word(current, word.font, word.direction))
            current = char
        else:
            current += char
    return [*pieces, Word(current, word.font, word.direction)]


def wrap(words: list[Word], width: float, space: float) -> list[list[Word]]:
    """Lines in reading order (the logical order: wrapping comes before reordering)."""
    lines: list[list[Word]] = [[]]
    used = 0.0
    for whole in words:
        for word in split_long(whole, width) if whole.width > width else [whole]:
            needed = word.width + (space if lines[-1] else 0)
            if lines[-1] and used + needed > width:
                lines.append([])
                used, needed = 0.0, word.width
            lines[-1].append(word)
            used += needed
    return [line for line in lines if line]


def visual_order(line: list[Word], base: str) -> list[Word]:
    """The words of a line from left to right: the Unicode bidirectional algorithm's reordering
    (rule L2) at the level of words, which libraqm then shapes one by one.

    A word without a strong direction (a number, a dash) takes the direction of its neighbours
    when they agree, else the line's.
    """
    directions = [word.direction for word in line]
    for index, direction in enumerate(directions):
        if direction is None:
            before = next((d for d in reversed(directions[:index]) if d), base)
            after = next((d for d in directions[index + 1 :] if d), base)
            directions[index] = before if before == after else base
    rtl_base = base == "rtl"
    levels = [
        (1 if direction == "rtl" else 2) if rtl_base else (1 if direction == "rtl" else 0)
        for direction in directions
    ]
    order = list(range(len(line)))
    for level in range(max(levels, default=0), 0, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] < level:
                index += 1
                continue
            end = index
            while end < len(order) and levels[order[end]] >= level:
                end += 1
            order[index:end] = reversed(order[index:end])
            index = end
    return [line[index] for index in order]


def draw_line(
    draw: ImageDraw.ImageDraw,
    line: list[Word],
    baseline: float,
    base: str,
    fill: str,
    end: bool = False,
) -> None:
    """One line from its start (the right for right-to-left text), or from its end."""
    space = font(REGULAR, line[0].font.size).getlength(" ")
    ordered = visual_order(line, base)
    total = sum(word.width for word in ordered) + space * (len(ordered) - 1)
    x = WIDTH - MARGIN - total if (base == "rtl") != end else MARGIN
    for word in ordered:
        draw.text((x, baseline), word.text, font=word.font, fill=fill, anchor="ls",
                  direction=word.direction)  # fmt: skip
        x += word.width + space


def paragraph_direction(text: str, fallback: str) -> str:
    return direction_of(text) or fallback


def fit_title(title: str) -> tuple[list[list[Word]], int]:
    """The largest size at which the title fits its box; at the smallest, cut with an ellipsis."""
    for size in TITLE_SIZES:
        words = words_of(title, size, BOLD)
        lines = wrap(words, TEXT_WIDTH, font(BOLD, size).getlength(" "))
        room = int((TITLE_BOTTOM - TITLE_TOP) // (size * 1.25))
        if len(lines) <= room:
            return lines, size
    lines = lines[:room]
    last = lines[-1]
    ellipsis = Word("…", font(BOLD, size), None)
    while last and sum(w.width for w in last) + ellipsis.width + size * 0.3 * len(last) > (
        TEXT_WIDTH
    ):
        last.pop()
    last.append(ellipsis)
    return lines, size


@dataclass(frozen=True)
class Card:
    """What one share image shows."""

    title: str
    organisation: str
    count: int
    goal: int | None
    language: str
    # The outcome in words ("Won"), once the organisers recorded one.
    outcome: str = ""

    @property
    def key(self) -> str:
        """Changes when anything shown changes, the count only when it passes a rounding step."""
        shown = [self.title, self.organisation, self.goal, self.language, rounded(self.count)]
        if self.outcome:
            shown.append(self.outcome)
        digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
        return f"card:{digest}"


def rounded(count: int) -> int:
    """Every signature up to 100, then two significant figures (1,234 → 1,200)."""
    if count < 100:
        return count
    step = 10 ** (len(str(count)) - 2)
    return count - count % step


def card_for(petition: Petition) -> Card:
    language = get_language()
    organisation = petition.organisation.name if petition.organisation else ""
    return Card(
        title=petition.text_for(language).title,
        organisation=organisation or settings.ORGANISATION_NAME,
        count=counting.total(petition),
        goal=petition.goal,
        language=language,
        outcome=str(petition.get_outcome_display()) if petition.outcome else "",
    )


def draw_card(card: Card) -> bytes:
    """The PNG. The interface texts are in the active language; the title in its own."""
    ui = "rtl" if get_language_bidi() else "ltr"
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 12], fill=ACCENT)

    organisation = wrap(words_of(card.organisation, 30, REGULAR), TEXT_WIDTH, 8)[:1]
    for line in organisation:
        draw_line(draw, line, 96, paragraph_direction(card.organisation, ui), MUTED)

    lines, size = fit_title(card.title)
    title_direction = paragraph_direction(card.title, ui)
    for number, line in enumerate(lines):
        draw_line(draw, line, TITLE_TOP + size + number * size * 1.25, title_direction, INK)

    signatures = ngettext("%(count)s signature", "%(count)s signatures", card.count) % {
        "count": intcomma(card.count)
    }
    for line in wrap(words_of(signatures, 44, BOLD), TEXT_WIDTH, 12)[:1]:
        draw_line(draw, line, 510, ui, INK)
    if card.outcome:
        # What came of it replaces the progress towards the goal, which no longer matters.
        outcome = gettext("Outcome: %(outcome)s") % {"outcome": card.outcome}
        for line in wrap(words_of(outcome, 32, BOLD), TEXT_WIDTH, 8)[:1]:
            draw_line(draw, line, 566, ui, ACCENT)
    elif card.goal:
        goal = gettext("of a goal of %(goal)s") % {"goal": intcomma(card.goal)}
        for line in wrap(words_of(goal, 28, REGULAR), TEXT_WIDTH, 8)[:1]:
            draw_line(draw, line, 510, ui, MUTED, end=True)
        done = min(1.0, card.count / card.goal)
        bar = [MARGIN, 540, WIDTH - MARGIN, 568]
        draw.rounded_rectangle(bar, radius=14, fill=TRACK)
        if done:
            filled = bar[0] + max(28, (bar[2] - bar[0]) * done)
            if ui == "rtl":
                draw.rounded_rectangle([WIDTH - filled, 540, bar[2], 568], radius=14, fill=ACCENT)
            else:
                draw.rounded_rectangle([bar[0], 540, filled, 568], radius=14, fill=ACCENT)

    output = io.BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()
