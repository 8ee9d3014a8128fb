"""结对联户 and 双向评议: pairings, visits, evaluation rounds, the public board."""
