"""A petition's partner organisations: who launched it with whom, their share links, their
consents on the signing form and their logos."""
