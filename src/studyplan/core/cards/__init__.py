"""Cards: the deck file format, and turning card text into what a terminal shows."""
