"""People and places: accounts, passwords, registrations, residents, units, the org tree."""
