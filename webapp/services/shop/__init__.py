"""The points shop (爱心超市): points from the ledger, goods, exchanges, the accounts."""
