"""The one validation core: each rule about a submitted value, once, as a plain function.

The signing form, the admin, the API and the importers call these; none of them writes a rule
of its own. A rule takes the submitted value and returns its cleaned form, or raises Django's
ValidationError with a code and a message in the reader's language. Nothing here reads the
database, a cache or the network (see firma.petitions.defences for checks that do).
"""
