"""Judging signatures: the signatures' admin, suspicious ones, and invalidating by criteria."""
