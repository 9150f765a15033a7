"""Sharing a petition: share links, the share image, and the hand-off to a Mastodon server."""
