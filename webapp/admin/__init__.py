"""The administration pages: the grid tree, settings and categories, imports, the admin log."""
