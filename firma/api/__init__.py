"""The JSON API: public petition data, the organiser API with its tokens, OSDI, webhooks.

It reads through the selectors and writes through the services of the apps under it, and never
imports their views.
"""
