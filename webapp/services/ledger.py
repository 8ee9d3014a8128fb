"""The service-hour ledger. Foundation: confirmed records wait for approval (see issue 4)."""


def on_confirmed(session, records, now) -> None:
    """Called in the confirming transaction with the new ServiceRecords."""
    # The ledger issue approves records within tolerance here and appends LedgerEntries.
    return None
