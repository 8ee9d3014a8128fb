"""People's rights over their data (PIPL arts. 44–47): see, download, correct, withdraw, erase."""
