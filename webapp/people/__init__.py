"""The people pages: sign-in and sign-up, activation, my account, registrations, staff's people."""
