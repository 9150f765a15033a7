"""The public ledger of each petition's signatures: an append-only Merkle tree (RFC 9162) of
what happened to each signature, with signed tree heads anyone can check.

Its rule: the ledger only listens. Petitions and the organiser's tools send events from
firma.core.events and never import this package; the ledger appends what they announced when
the counts fold, in the background, never in a signer's request.
"""
