"""A petition's own questions: asked on its signing form, answered with each signature."""
