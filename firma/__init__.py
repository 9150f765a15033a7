"""firma, a self-hosted petition platform.

Layers, from the bottom (docs/architecture.md): core, tenancy, petitions, organiser, api, and
the URL configuration on top. A package imports only the layers under it; `make lint` checks.
"""
