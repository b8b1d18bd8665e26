"""The Analysis menu of the Investigation screen (issue 19): location search, common plates,
co-travel, locate and the cloned-plate check; their forms and result windows."""
