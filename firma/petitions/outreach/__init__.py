"""Whom a petition is addressed to, what they are sent, and the page where they answer."""
