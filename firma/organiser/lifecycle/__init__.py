"""A petition's life in the workspace: closing (by hand or on its date), archiving, milestones."""
