"""Review mode: an offline review extract opened by its recipient (issue 15)."""
