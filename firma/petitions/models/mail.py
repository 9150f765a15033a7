"""What the background tasks have sent."""

from django.db import models
from django.utils import timezone


class SentEmail(models.Model):
    """A background task's e-mail that left firma: a task run again after its worker died
    finds it here and does not send it twice."""

    task_id = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.task_id
