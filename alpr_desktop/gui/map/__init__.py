"""The map and route view (issue 13): Qt's own graphics, offline, no browser engine."""
