"""Signatures out: CSV and spreadsheet exports, and the legible PDF document for targets."""
