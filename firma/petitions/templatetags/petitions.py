from django import template
from django.conf import settings
from django.forms import BoundField
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, gettext

from firma.petitions.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown to HTML, with anything that could run script removed."""
    return mark_safe(render_markdown(text))


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    """The field's input, tied to its error message for screen readers."""
    attrs = {}
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict]:
    """This page in every interface language, for the language switcher."""
    request: HttpRequest = context["request"]
    current = get_language()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag
def altcha_settings() -> dict:
    """What firma/challenge.js gives the proof-of-work widget: its worker and its texts."""
    return {
        "worker": static("firma/vendor/altcha/sha.js"),
        "strings": {
            "label": gettext("I am not a robot"),
            "verified": gettext("Verified"),
            "verifying": gettext("Checking…"),
            "verificationRequired": gettext("Please wait for the anti-spam check."),
            "waitAlert": gettext("Checking… please wait."),
            "error": gettext("The check failed. Please try again."),
            "expired": gettext("The check expired. Please try again."),
            "reload": gettext("Try again"),
            "verify": gettext("Check"),
            "loading": gettext("Loading…"),
            "footer": "",
            "ariaLinkLabel": "ALTCHA",
            "enterCode": "",
            "enterCodeAria": "",
            "getAudioChallenge": "",
        },
    }


@register.simple_tag
def site_url(path: str) -> str:
    """An absolute link from BASE_URL, never from the request's Host header."""
    return settings.BASE_URL + path
