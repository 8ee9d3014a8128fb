"""Wishes: the lifecycle, claims, orders, the menu and what each viewer may see."""
