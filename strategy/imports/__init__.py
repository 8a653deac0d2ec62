"""Measurement imports: files from the ministry's data warehouse into every school's indicators."""
