from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from firma.petitions.models import Petition


def choose_language(request: HttpRequest, petition: Petition | None = None) -> str:
    """A language prefix in the URL wins, then Accept-Language, then the petition's default."""
    if language := translation.get_language_from_path(request.path_info):
        return language
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return petition.default_language if petition else settings.LANGUAGE_CODE
