"""Reading an uploaded file: where it comes from, its limits, and its rows a piece at a time."""
