"""The audit log: who did what to which petition or signature, and when."""
