"""The Analysis menu of the Investigation screen (issue 19): location search, common plates,
and the other helpers' analyses (co-travel, locate, cloned plates) added in menu.py; their
forms and the shared result window."""
