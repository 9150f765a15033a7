"""The ledger's periodic task: append what waits and sign a head for every ledger that grew,
so that a head is never more than HEAD_INTERVAL behind while signatures change."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from firma.core.periodic import schedule
from firma.ledger import services

logger = logging.getLogger("firma.ledger")

HEAD_INTERVAL = timedelta(seconds=30)


def append_and_sign(sign: bool = True) -> None:
    """Never raises: the fold that calls it must not fail because of the ledger. The fold's
    call (sign=False) appends one batch per petition, the periodic one everything."""
    try:
        services.append_pending(drain=sign)
        if sign:
            services.sign_heads()
    except Exception:
        logger.exception("The ledger could not append or sign")


@task()
def publish_heads() -> None:
    try:
        if settings.LEDGER_ENABLED:
            append_and_sign()
    finally:
        schedule(publish_heads, run_after=timezone.now() + HEAD_INTERVAL)
