"""Administration: setting a street up, the grid tree, staff, imports, accounts, the admin log."""
