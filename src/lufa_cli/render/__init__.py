"""Views as plain data and their renderings: terminal, Markdown, CSV/xlsx, .ics, Word."""
