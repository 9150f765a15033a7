"""The Atom feeds, built with Django's syndication framework."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from firma.organiser.updates import services as updates
from firma.petitions.markdown import render_markdown
from firma.petitions.models import Petition, Response
from firma.petitions.outreach import selectors as outreach
from firma.petitions.outreach.selectors import Moment
from firma.petitions.selectors import public_petition

# How many entries a feed holds: readers poll it, and keep what they have seen.
FEED_SIZE = 50


@dataclass
class Entry:
    guid: str
    title: str
    description: str
    link: str
    at: datetime


def target_line(response: Response, language: str) -> str:
    target = response.target
    if target is None:
        return gettext("A response was published.")
    role = target.role_in(language)
    name = f"{target.name}, {role}" if role else target.name
    return gettext("Response from %(name)s") % {"name": name}


def response_html(response: Response, language: str) -> str:
    html = render_markdown(response.text_in(language))
    if response.source == Response.Source.ENTERED:
        if response.received_via:
            note = gettext("received by %(via)s, entered by the organisers") % {
                "via": response.received_via
            }
        else:
            note = gettext("received elsewhere, entered by the organisers")
        html += format_html("<p><em>{}</em></p>", note)
    return html


def moment_title(moment: Moment, petition: Petition) -> str:
    match moment.kind:
        case "opened":
            return gettext("The petition was started.")
        case "milestone":
            return gettext("%(number)s signatures.") % {
                "number": number_format(moment.number, force_grouping=True)
            }
        case "delivery":
            count = number_format(moment.delivery.signature_count, force_grouping=True)
            if moment.target_names:
                return gettext("Delivered to %(names)s with %(count)s signatures.") % {
                    "names": moment.target_names,
                    "count": count,
                }
            return gettext("Delivered with %(count)s signatures.") % {"count": count}
        case "response":
            return target_line(moment.response, get_language())
        case "closed":
            return gettext("The petition closed.")
        case _:
            return gettext("Outcome: %(outcome)s.") % {"outcome": petition.get_outcome_display()}


def moment_html(moment: Moment, petition: Petition) -> str:
    if moment.kind == "response":
        return response_html(moment.response, get_language())
    if moment.kind == "outcome":
        lines = petition.outcome_text.splitlines()
        return "".join(format_html("<p>{}</p>", line) for line in lines if line)
    if moment.kind == "delivery" and moment.delivery.note:
        return format_html("<p>{}</p>", moment.delivery.note)
    return ""


class PetitionFeed(Feed):
    """One petition: its timeline and the organisers' news, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Petition:
        return public_petition(request, slug)

    def title(self, petition: Petition) -> str:
        return petition.text_for(get_language()).title

    def subtitle(self, petition: Petition) -> str:
        return gettext("The petition's timeline, its responses and news from the organisers.")

    def link(self, petition: Petition) -> str:
        return petition.get_absolute_url()

    def items(self, petition: Petition) -> list[Entry]:
        page = petition.get_absolute_url()
        entries = [
            Entry(
                guid=f"{settings.BASE_URL}{page}#timeline-{moment.anchor}",
                title=moment_title(moment, petition),
                description=moment_html(moment, petition),
                link=f"{page}#timeline-{moment.anchor}",
                at=moment.at,
            )
            for moment in outreach.timeline(petition)
        ]
        entries += [
            Entry(
                guid=f"{settings.BASE_URL}{page}#update-{text.update_id}",
                title=text.subject,
                description=render_markdown(text.body),
                link=f"{page}#updates",
                at=text.update.published_at,
            )
            for text in updates.published(petition, get_language())
        ]
        entries.sort(key=lambda entry: entry.at, reverse=True)
        return entries[:FEED_SIZE]

    def item_title(self, entry: Entry) -> str:
        return entry.title

    def item_description(self, entry: Entry) -> str:
        return entry.description

    def item_link(self, entry: Entry) -> str:
        return entry.link

    def item_guid(self, entry: Entry) -> str:
        return entry.guid

    item_guid_is_permalink = False

    def item_pubdate(self, entry: Entry) -> datetime:
        return entry.at

    def item_updateddate(self, entry: Entry) -> datetime:
        return entry.at


class ResponsesFeed(Feed):
    """Every published response to the site's public petitions, newest first."""

    feed_type = Atom1Feed
    title = _("Responses to the petitions")
    subtitle = _("What the people and bodies the petitions are addressed to have answered.")

    def link(self) -> str:
        return reverse("petitions:index")

    def items(self) -> list[Response]:
        return list(outreach.latest_responses(FEED_SIZE))

    def item_title(self, response: Response) -> str:
        title = response.petition.text_for(get_language()).title
        return f"{target_line(response, get_language())}: {title}"

    def item_description(self, response: Response) -> str:
        return response_html(response, get_language())

    def item_link(self, response: Response) -> str:
        return f"{response.petition.get_absolute_url()}#response-{response.pk}"

    def item_author_name(self, response: Response) -> str:
        return response.target.name if response.target else ""

    def item_pubdate(self, response: Response) -> datetime:
        return response.published_at or response.received_at

    def item_updateddate(self, response: Response) -> datetime:
        return response.published_at or response.received_at
