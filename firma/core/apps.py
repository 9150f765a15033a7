from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "firma.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from firma.core import periodic, recovery

        periodic.register(recovery.requeue_stalled_tasks)
