"""Importers turn outside sources into :class:`comity.records.Document` objects.

Each importer reads one kind of source and never touches the database; storing documents is the job of
another module.
"""
