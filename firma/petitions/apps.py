from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "firma.petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from firma.core import events, periodic
        from firma.petitions import counting, retention
        from firma.petitions.mail import reminders
        from firma.petitions.models import (
            Partner,
            Petition,
            PetitionVersion,
            Question,
            Suppression,
        )
        from firma.petitions.page.cache import forget_page
        from firma.petitions.selectors import forget_petitions_to_sign

        periodic.register(
            counting.fold_tallies,
            counting.reconcile_tallies,
            retention.anonymise_expired_petitions,
            reminders.send_due_reminders,
        )

        # What a sign POST reads of its petition is kept with the process's copy of it
        # (signing.facts): a change made here is seen here at once.
        for signal in (post_save, post_delete):
            for model in (Petition, Question, Partner, PetitionVersion, Suppression):
                signal.connect(
                    forget_petitions_to_sign,
                    sender=model,
                    dispatch_uid=f"firma.petitions.forget.{model.__name__}",
                )
        # A response or an outcome changes the page: its cached copies are drawn again.
        # So does the verification of an endorsing organisation.
        changes = (
            events.response_published,
            events.response_translated,
            events.outcome_recorded,
            events.endorsement_reviewed,
        )
        for event in changes:
            event.connect(forget_page, dispatch_uid="firma.petitions.forget_page")
