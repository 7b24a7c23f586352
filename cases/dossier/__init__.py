"""The dossier (logboek): entries, signal tags and the signalenlijst."""
