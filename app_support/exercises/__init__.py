"""The Exercises page's view helpers: the sheet (answers that wait for measurements, the set and its key as tables)."""
