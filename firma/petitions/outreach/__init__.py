"""What came of a petition in public: its responses, its timeline, its outcome, the archive."""
