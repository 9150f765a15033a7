"""The share image: its size and headers, its caching, and titles in other scripts."""

import io

import pytest
from django.utils import timezone
from PIL import Image, ImageChops, ImageDraw, ImageFont

from firma.petitions import counting
from firma.petitions.models import Signature
from tests.conftest import make_petition, url

pytestmark = pytest.mark.django_db

FONTS = "firma/petitions/static/firma/fonts/cards/"
TITLE_BAND = (0, 140, 1200, 450)  # where the title is drawn
ARABIC = "أسقطوا التهم عن المعلمين"  # "Drop the charges against the teachers"


def get_card(client, petition, **headers):
    return client.get(url("petitions:card", slug=petition.slug), **headers)


def decoded(response) -> Image.Image:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    return image.convert("L")


def confirm(petition, number: int) -> None:
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            full_name=f"Signer {index}",
            email=f"s{index}-{timezone.now().timestamp()}@example.org",
            language="en",
            status=Signature.Status.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        for index in range(number)
    )
    counting.reconcile()


def ink_columns(image: Image.Image) -> list[int]:
    """Columns of the image that hold any ink (dark pixels)."""
    width, height = image.size
    pixels = image.point(lambda value: 255 if value < 128 else 0).load()
    return [x for x in range(width) if any(pixels[x, y] for y in range(height))]


def glyph_runs(image: Image.Image) -> list[bytes]:
    """The pieces of ink between blank columns, each as its own bitmap."""
    columns = ink_columns(image)
    runs, start = [], None
    for index, x in enumerate(columns):
        if start is None:
            start = x
        if index + 1 == len(columns) or columns[index + 1] != x + 1:
            piece = image.crop((start, 0, x + 1, image.height))
            runs.append(piece.crop(piece.point(lambda v: 255 if v < 128 else 0).getbbox()))
            start = None
    return [run.tobytes() + bytes(run.size) for run in runs]


def looks_like_tofu(image: Image.Image) -> bool:
    """Missing glyphs are drawn as identical boxes: most pieces of ink are the same bitmap."""
    runs = glyph_runs(image)
    return len(set(runs)) <= len(runs) // 2


def test_the_card_is_a_1200_by_630_png_with_the_title_count_and_progress(client):
    petition = make_petition(goal=4)
    confirm(petition, 1)
    image = decoded(get_card(client, petition))
    assert image.size == (1200, 630)
    assert ImageChops.difference(image.crop(TITLE_BAND), Image.new("L", (1200, 310), 255)).getbbox()
    # The progress bar: a quarter of its track in the accent colour.
    bar = image.crop((72, 545, 1128, 562))
    filled = ink_columns(bar.point(lambda v: 0 if 40 < v < 110 else 255))
    assert 230 < len(filled) < 300


def test_the_card_is_cached_by_its_etag_and_refreshed_as_the_count_grows(client):
    petition = make_petition(goal=1000)
    first = get_card(client, petition)
    assert first["Cache-Control"] == "public, max-age=600"
    etag = first["ETag"]
    assert get_card(client, petition, HTTP_IF_NONE_MATCH=etag).status_code == 304

    confirm(petition, 1)  # small counts: every signature shows
    second = get_card(client, petition)
    assert second["ETag"] != etag
    assert second.content != first.content
    assert get_card(client, petition, HTTP_IF_NONE_MATCH=etag).status_code == 200

    confirm(petition, 149)  # 150
    third = get_card(client, petition)["ETag"]
    confirm(petition, 5)  # 155: the same two significant figures, the same image
    assert get_card(client, petition)["ETag"] == third
    confirm(petition, 5)  # 160
    assert get_card(client, petition)["ETag"] != third


def test_a_new_title_is_a_new_card(client):
    petition = make_petition()
    etag = get_card(client, petition)["ETag"]
    petition.texts.update(title="Clean water for every school, now")
    assert get_card(client, petition)["ETag"] != etag


def test_a_draft_card_is_not_kept_by_shared_caches(admin_client, client):
    petition = make_petition(status="draft")
    assert get_card(client, petition).status_code == 404
    response = get_card(admin_client, petition)
    assert "private" in response["Cache-Control"]


def test_the_tofu_detector_recognises_missing_glyphs():
    """The check below is only worth something if it catches boxes: draw Arabic with a font
    that lacks it, and plain Latin with one that has it."""
    image = Image.new("L", (1200, 120), 255)
    latin_only = ImageFont.truetype(FONTS + "NotoSans-Bold.ttf", 64)
    ImageDraw.Draw(image).text((20, 20), ARABIC, font=latin_only, fill=0)
    assert looks_like_tofu(image)
    image = Image.new("L", (1200, 120), 255)
    ImageDraw.Draw(image).text((20, 20), "Drop the charges", font=latin_only, fill=0)
    assert not looks_like_tofu(image)


def test_an_arabic_title_is_drawn_shaped_and_right_to_left(client):
    petition = make_petition(texts={"en": (ARABIC, "")})
    title = decoded(get_card(client, petition)).crop(TITLE_BAND)
    assert not looks_like_tofu(title)
    # Shaped: the letters of each word join, so there are far fewer pieces than letters.
    letters = sum(char.isalpha() for char in ARABIC)
    assert 4 <= len(glyph_runs(title)) < letters // 2
    # Right-aligned: the first word starts at the right margin.
    columns = ink_columns(title)
    assert 1110 < columns[-1] <= 1128
    assert columns[0] > 200


def test_right_to_left_words_are_ordered_from_the_right(client):
    """A long Hebrew word, then a short one: the long one must be on the right."""
    long_word, short_word = "הסתדרותהמורים", "א"
    petition = make_petition(texts={"en": (f"{long_word} {short_word}", "")})
    title = decoded(get_card(client, petition)).crop(TITLE_BAND)
    columns = ink_columns(title)
    gap = max(range(1, len(columns)), key=lambda i: columns[i] - columns[i - 1])
    left, right = columns[:gap], columns[gap:]
    assert len(right) > 5 * len(left)
    assert not looks_like_tofu(title)


def test_a_latin_title_starts_at_the_left(client):
    petition = make_petition()
    columns = ink_columns(decoded(get_card(client, petition)).crop(TITLE_BAND))
    assert 70 <= columns[0] < 90
