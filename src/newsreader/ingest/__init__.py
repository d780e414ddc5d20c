"""Turning raw documents (feed entries, files) into articles: parsing, converting, cleaning."""
