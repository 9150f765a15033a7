"""What a signer does with their private link: confirm, see, change, delete, unsubscribe."""
