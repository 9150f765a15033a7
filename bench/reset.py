# Run by bench/run.py through `manage.py shell`: a fresh start for the "bench" petition.
from firma.petitions.models import Petition

Petition.objects.filter(slug="bench").delete()
