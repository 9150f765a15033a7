from django import template

from firma.petitions.models import Petition, PetitionText
from firma.petitions.sharing import links as sharing
from firma.petitions.sharing.forms import MastodonForm

register = template.Library()


@register.simple_tag
def share_meta(petition: Petition, text: PetitionText) -> dict[str, str]:
    return sharing.share_meta(petition, text)


@register.simple_tag
def share_links(petition: Petition, text: PetitionText) -> dict:
    return {
        "links": sharing.share_links(petition, text),
        "copy_url": sharing.tagged_url(petition, "link"),
        "mastodon_form": MastodonForm(),
    }


@register.simple_tag
def embed_snippet(petition: Petition) -> str:
    return sharing.embed_snippet(petition)
