"""The ledger: hours, the hash chain, tallies, periods, exports, certificates, duty."""
