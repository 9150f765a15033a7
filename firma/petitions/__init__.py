"""Petitions and their signatures: the public side, and the domain the organiser's tools use.

Each feature is a package or a module: models, rules (the one validation core), signing,
defences, counting, mail, page, sharing, self_service, donations, retention, importing.
Lookups other layers need live in selectors. It imports the core and the tenancy, never the
organiser or the API: they react to it through the signals in firma.core.events.
"""
