"""At most one e-mail about a signature an hour, whoever asks for it: the signing form, a
reminder or an organiser's resend. The form cannot be used to flood someone's mailbox."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from firma.petitions.models import Signature

COOL_DOWN = timedelta(hours=1)


def rested(now: datetime) -> Q:
    """Signatures that may be e-mailed again at `now`."""
    return Q(emailed_at__isnull=True) | Q(emailed_at__lte=now - COOL_DOWN)


def claim(signature_id: int, now: datetime | None = None) -> bool:
    """Note an e-mail about the signature as queued now, if its cool-down allows one; True if
    it does. One UPDATE, so two requests at the same moment cannot both be allowed."""
    now = now or timezone.now()
    return bool(Signature.objects.filter(rested(now), pk=signature_id).update(emailed_at=now))
