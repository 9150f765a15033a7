"""The dashboard: a petition's signatures by day, country and source, read from the tallies."""
