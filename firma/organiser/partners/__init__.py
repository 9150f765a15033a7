"""The partner views: what each partner organisation of a petition brought, and the signers who
consented to hear from it. Seen by the petition's organisers and by the partner's own members
(the partner role among them), who see nothing else of the petition's signers."""
