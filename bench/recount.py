# Run by bench/run.py through `manage.py shell`: what the database holds for the "bench"
# petition, then every signature confirmed, as if each signer had clicked their link.
import json

from django.utils import timezone

from firma.petitions.models import Signature

signatures = Signature.objects.filter(petition__slug="bench")
stored = signatures.count()
distinct = signatures.values("email").distinct().count()
signatures.update(status=Signature.Status.CONFIRMED, confirmed_at=timezone.now())
recount = signatures.filter(status="confirmed", invalidation__isnull=True).count()
print(json.dumps({"stored": stored, "distinct": distinct, "recount": recount}))
