"""What happens to petitions and signatures, for whoever needs to know (webhooks, milestones).

Each signal is sent inside the transaction that made the change, so that a receiver which
queues a task stores it with the change, or not at all.
"""

from django.dispatch import Signal

# sender=Signature, signature=the confirmed Signature
signature_confirmed = Signal()
# sender=Petition, petition=..., signature_ids=[...] taken out of the count
signatures_invalidated = Signal()
# sender=Petition, petition=..., signature_ids=[...] put back into the count
signatures_restored = Signal()
# sender=Petition, petition=..., number=the count reached
milestone_reached = Signal()
# sender=Petition, petition=... that stopped taking signatures
petition_closed = Signal()
# sender=Petition, petition=..., response=the Response now shown on its page
response_published = Signal()
# sender=Petition, petition=... whose outcome (petition.outcome) an organiser recorded
outcome_recorded = Signal()
# sender=Petition, petition=..., response=a published Response the organisers translated
response_translated = Signal()
# sender=Petition, petition=..., delivery=the Delivery made or recorded
petition_delivered = Signal()
# sender=Signature, signature=... its signer is deleting (sent before the row goes)
signature_deleted = Signal()
# sender=Petition, petition=... whose signers' personal data is being erased (retention)
signers_erased = Signal()
# sender=Petition, petition=..., signature_ids=[...] confirmed signatures created in bulk
signatures_added = Signal()
# sender=Petition, petition=..., signature_ids=[...] or None for every signature of the
# petition, reason="withdrawn" (by the signer), "deleted" (by an organiser) or "expired"
personal_data_erased = Signal()
# sender=Petition, petition=..., signature=the endorsement an organiser verified or declined
endorsement_reviewed = Signal()
# sender=None, folded=how many count changes were folded; sent after the fold's transaction
counts_folded = Signal()
