"""The signers' e-mails, sent by background tasks that survive a worker's crash."""
