"""What keeps signing honest under attack: rate limits, address checks, proof-of-work."""
