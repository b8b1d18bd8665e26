"""Key custody, password hashing, lockout and idle rules."""
