"""The petition page and the embedded form: rendering, caching, and the public index."""
