"""Delivering a petition to its targets: by e-mail through firma, or recorded after the fact."""
