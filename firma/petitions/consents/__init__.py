"""Provable consent: the records of each consent a signer gives or withdraws, with the words
they were shown, kept once and named by their digest."""
