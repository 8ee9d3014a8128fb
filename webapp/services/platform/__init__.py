"""Process plumbing: job leases and the single-scheduler lock."""
