"""Updates: news the organisers write, published on the page and e-mailed to opted-in signers."""
