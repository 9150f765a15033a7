"""What was signed: versions of a petition's texts, and the public page of their changes."""
