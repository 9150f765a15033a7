"""Atom feeds of what happens to petitions: each petition's timeline and news, and every
published response. Here rather than with the petition pages because a petition's feed also
carries the organisers' updates, which the organiser's tools write."""
