# Run by bench/run.py through `manage.py shell`: waits (two minutes at most) until the worker has
# sent the e-mails the signing phases queued, and says how fast it sent them.
import json
import time

from django_tasks_db.models import DBTaskResult

started = time.monotonic()
queued = DBTaskResult.objects.ready().count()
deadline = started + 120
while DBTaskResult.objects.ready().exists() and time.monotonic() < deadline:
    time.sleep(0.2)
seconds = time.monotonic() - started
left = DBTaskResult.objects.ready().count()
sent = queued - left
print(
    json.dumps(
        {
            "queued": queued,
            "left": left,
            "seconds": round(seconds, 1),
            "per_second": round(sent / seconds) if seconds else None,
        }
    )
)
