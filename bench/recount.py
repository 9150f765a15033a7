# Run by bench/run.py through `manage.py shell`: what the database holds for the "bench"
# petition, then every signature confirmed, as if each signer had clicked their link (the
# changes to the count recorded as signing.confirm() records them).
import json

from django.db import transaction
from django.utils import timezone

from firma.petitions import counting
from firma.petitions.models import Signature

signatures = Signature.objects.filter(petition__slug="bench")
stored = signatures.count()
distinct = signatures.values("email").distinct().count()
with transaction.atomic():
    pending = signatures.filter(status=Signature.Status.PENDING)
    counting.record_signatures(pending, 1, among_pending=True)
    pending.update(status=Signature.Status.CONFIRMED, confirmed_at=timezone.now())
recount = signatures.filter(status="confirmed", invalidation__isnull=True).count()
print(json.dumps({"stored": stored, "distinct": distinct, "recount": recount}))
