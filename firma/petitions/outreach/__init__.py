"""A petition reaching someone: whom it is addressed to, what they are sent, the page where they
answer, and what came of it in public (its responses, timeline, outcome and the archive)."""
