"""Signatures in: importing signatures collected on paper or elsewhere, checked row by row."""
