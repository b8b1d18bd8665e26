"""The help window, its tutorials (alpr_desktop/resources/help/) and F1 context help."""
