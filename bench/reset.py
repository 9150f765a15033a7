# Run by bench/run.py through `manage.py shell`: a fresh start for the benchmark's petitions.
from firma.petitions.models import Petition

Petition.objects.filter(slug__in=["bench", "bench-small", "bench-large"]).delete()
