"""The rules for a petition's partners: the slug of their links, their addresses, their logo.

A logo is taken only as a raster image Pillow can read, at most LOGO_MAX_BYTES and
LOGO_MAX_PIXELS, and is never stored as sent: it is scaled down to fit LOGO_BOX and written
anew as a palette PNG, which leaves behind any metadata (camera, place, comments) and anything
hidden after the image.
"""

import io
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

SLUG_LENGTH = 40
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 25_000_000
# The page shows a logo at most 8rem wide and 2.5rem high: twice that, for dense screens.
LOGO_BOX = (256, 80)
# Kept as a palette image: logos are drawn in a few colours, and the page's weight is promised.
LOGO_COLOURS = 256
LOGO_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
NOT_IN_SLUG = re.compile(r"[^a-z0-9_-]")

MESSAGES = {
    "logo_size": _("The logo is larger than 2 MB. Please send a smaller image."),
    "logo_invalid": _(
        "The logo could not be read as an image. Please send a PNG, JPEG, GIF or WebP file."
    ),
    "logo_dimensions": _("The logo has too many pixels. Please send a smaller image."),
    "privacy_required": _("A partner that offers its own consent needs a privacy notice URL."),
    "name_required": _("Give the partner's name, or the slug of an organisation on this site."),
    "url_invalid": _("Please enter an address starting with https:// or http://."),
}


def name(value: str, organisation_name: str = "") -> str:
    """The partner's name: as given, else its organisation's on this site."""
    given = " ".join((value or "").split())
    if not (given or organisation_name):
        raise ValidationError(MESSAGES["name_required"], code="name_required")
    return given or organisation_name


def slug(value: str, name: str = "") -> str:
    """The partner's tag in links (?via=): lower case, [a-z0-9_-]; from the name when empty."""
    tag = NOT_IN_SLUG.sub("", (value or "").strip().lower())[:SLUG_LENGTH]
    return tag or slugify(name)[:SLUG_LENGTH]


def via(value: str) -> str:
    """The ?via= of a shared link as the form carries it: a slug, or ""."""
    return NOT_IN_SLUG.sub("", (value or "").strip().lower())[:SLUG_LENGTH]


def web_address(value: str) -> str:
    """A partner's website or privacy notice: an http(s) address, or ""."""
    address = (value or "").strip()
    if not address:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(address)
    except ValidationError as error:
        raise ValidationError(MESSAGES["url_invalid"], code="url_invalid") from error
    return address


def opt_in(offers: bool, privacy_url: str) -> None:
    """A partner asking for consent must say how it handles the data."""
    if offers and not privacy_url:
        raise ValidationError(MESSAGES["privacy_required"], code="privacy_required")


def logo(content: bytes) -> bytes:
    """The logo, checked and re-encoded as PNG within LOGO_BOX; ValidationError otherwise."""
    if len(content) > LOGO_MAX_BYTES:
        raise ValidationError(MESSAGES["logo_size"], code="logo_size")
    from PIL import Image, UnidentifiedImageError  # loaded by the first logo, not at start-up

    try:
        with Image.open(io.BytesIO(content), formats=LOGO_FORMATS) as image:
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise ValidationError(MESSAGES["logo_dimensions"], code="logo_dimensions")
            image.load()
            picture = image.convert("RGBA")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(MESSAGES["logo_invalid"], code="logo_invalid") from error
    picture.thumbnail(LOGO_BOX)
    # A new image holds the pixels only: no EXIF, ICC, text chunks or trailing bytes.
    clean = Image.new("RGBA", picture.size)
    clean.paste(picture)
    output = io.BytesIO()
    palette = clean.quantize(LOGO_COLOURS, method=Image.Quantize.FASTOCTREE)
    palette.save(output, format="PNG", optimize=True)
    return output.getvalue()
