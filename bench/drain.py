# Run by bench/run.py through `manage.py shell`: waits (two minutes at most) until the worker has
# sent the e-mails the signing phases queued, and says how fast it sent them. A task of
# confirmations written together (signing.GroupCommit) counts as its number of e-mails.
import json
import time

from django_tasks_db.models import DBTaskResult

from firma.petitions.mail.tasks import send_confirmation_requests


def emails_ready() -> int:
    tasks = DBTaskResult.objects.ready().values_list("task_path", "args_kwargs")
    batch = send_confirmation_requests.module_path
    return sum(len(args["args"][0]) if path == batch else 1 for path, args in tasks)


started = time.monotonic()
queued = emails_ready()
deadline = started + 120
while DBTaskResult.objects.ready().exists() and time.monotonic() < deadline:
    time.sleep(0.2)
seconds = time.monotonic() - started
left = emails_ready()
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
